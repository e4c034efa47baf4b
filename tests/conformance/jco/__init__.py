"""One module per component of ../shared/fixtures/jco. Each defines
`run(component, ledger)`: instantiate with a host implementation of the
imports, call `test-imports` (the guest checks the host's answers), then call
the exports with edge values and compare."""
