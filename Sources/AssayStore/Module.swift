// AssayStore
