import Foundation

/// The JUnit XML schema the report is validated against, embedded so the test target needs no resources.
///
/// It has the structure that Jenkins (the xunit plugin's `junit-10.xsd`) and Apache Ant's JUnit task agree on,
/// `testsuites > testsuite > properties, testcase*, system-out, system-err`, with Jenkins' attribute set on
/// `testsuites` (no `skipped` there) and its `skipped` element, and is stricter than either where they are loose:
/// counts are non-negative integers, times non-negative decimals, the timestamp has Ant's zone-less form, a suite's
/// children come in Ant's order, names are non-empty and a test case has at most one outcome. A document valid
/// here is accepted by both readers.
enum JUnitSchema {
    static let xsd = """
        <?xml version="1.0" encoding="UTF-8"?>
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
          <xs:simpleType name="count">
            <xs:restriction base="xs:nonNegativeInteger"/>
          </xs:simpleType>
          <xs:simpleType name="seconds">
            <xs:restriction base="xs:decimal">
              <xs:minInclusive value="0"/>
            </xs:restriction>
          </xs:simpleType>
          <xs:simpleType name="antTimestamp">
            <xs:restriction base="xs:dateTime">
              <xs:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"/>
            </xs:restriction>
          </xs:simpleType>
          <xs:simpleType name="nonEmptyName">
            <xs:restriction base="xs:string">
              <xs:minLength value="1"/>
            </xs:restriction>
          </xs:simpleType>

          <xs:complexType name="outcome" mixed="true">
            <xs:attribute name="message" type="xs:string"/>
            <xs:attribute name="type" type="xs:string"/>
          </xs:complexType>

          <xs:complexType name="testcase">
            <xs:sequence>
              <xs:choice minOccurs="0">
                <xs:element name="failure" type="outcome"/>
                <xs:element name="error" type="outcome"/>
                <xs:element name="skipped" type="outcome"/>
              </xs:choice>
              <xs:element name="system-out" type="xs:string" minOccurs="0"/>
              <xs:element name="system-err" type="xs:string" minOccurs="0"/>
            </xs:sequence>
            <xs:attribute name="name" type="nonEmptyName" use="required"/>
            <xs:attribute name="classname" type="nonEmptyName" use="required"/>
            <xs:attribute name="time" type="seconds" use="required"/>
          </xs:complexType>

          <xs:complexType name="testsuite">
            <xs:sequence>
              <xs:element name="properties" minOccurs="0">
                <xs:complexType>
                  <xs:sequence>
                    <xs:element name="property" minOccurs="0" maxOccurs="unbounded">
                      <xs:complexType>
                        <xs:attribute name="name" type="nonEmptyName" use="required"/>
                        <xs:attribute name="value" type="xs:string" use="required"/>
                      </xs:complexType>
                    </xs:element>
                  </xs:sequence>
                </xs:complexType>
              </xs:element>
              <xs:element name="testcase" type="testcase" minOccurs="0" maxOccurs="unbounded"/>
              <xs:element name="system-out" type="xs:string" minOccurs="0"/>
              <xs:element name="system-err" type="xs:string" minOccurs="0"/>
            </xs:sequence>
            <xs:attribute name="name" type="nonEmptyName" use="required"/>
            <xs:attribute name="tests" type="count" use="required"/>
            <xs:attribute name="failures" type="count" use="required"/>
            <xs:attribute name="errors" type="count" use="required"/>
            <xs:attribute name="skipped" type="count"/>
            <xs:attribute name="time" type="seconds"/>
            <xs:attribute name="timestamp" type="antTimestamp"/>
            <xs:attribute name="hostname" type="nonEmptyName"/>
            <xs:attribute name="id" type="xs:int"/>
            <xs:attribute name="package" type="xs:string"/>
          </xs:complexType>

          <xs:element name="testsuites">
            <xs:complexType>
              <xs:sequence>
                <xs:element name="testsuite" type="testsuite" minOccurs="0" maxOccurs="unbounded"/>
              </xs:sequence>
              <xs:attribute name="name" type="xs:string"/>
              <xs:attribute name="tests" type="count"/>
              <xs:attribute name="failures" type="count"/>
              <xs:attribute name="errors" type="count"/>
              <xs:attribute name="time" type="seconds"/>
            </xs:complexType>
          </xs:element>
        </xs:schema>

        """

    /// The `xmllint` executable, when installed.
    static let xmllint: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        return directories.map { "\($0)/xmllint" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// The outcome of `xmllint --noout --schema`.
    struct Validation {
        var valid: Bool
        var messages: String
    }

    /// Validates `xml` against ``xsd`` with `xmllint`.
    static func validate(_ xml: String, xmllint: String) throws -> Validation {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("assay-junit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let schema = directory.appendingPathComponent("junit.xsd")
        let document = directory.appendingPathComponent("report.xml")
        try Data(xsd.utf8).write(to: schema)
        try Data(xml.utf8).write(to: document)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: xmllint)
        process.arguments = ["--noout", "--nonet", "--schema", schema.path, document.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Validation(valid: process.terminationStatus == 0, messages: String(decoding: output, as: UTF8.self))
    }
}
