import sys

from wbindgen.cli import main

sys.exit(main())
