"""wbindgen: typed Python bindings for WebAssembly components."""

__version__ = "0.1.0"
