// AssayEngine
