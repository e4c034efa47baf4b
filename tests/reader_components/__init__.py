"""Sources and helpers for the reader's and the WIT printer's tests."""
