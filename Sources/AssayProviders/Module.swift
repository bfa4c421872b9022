// AssayProviders
