/// A partial update (`PATCH .../documents/<ID>`, API.md) merged into the stored document.
///
/// Deterministic: the result depends only on the stored document and the patch, so every
/// replica applying the same entry writes the same document. What cannot be merged is a
/// rejection with a reason for the client, never a throw (a throw stops the apply loop).
struct DocumentPatch {
    let config: IndexConfig
    let id: String
    let fields: Document

    /// Why the index cannot take partial updates at all (a field that is not stored could not
    /// be rebuilt from the stored document, so patching would silently drop it), or nil.
    static func refusal(for config: IndexConfig) -> String? {
        let unstored = config.fields.filter { !$0.stored }.map(\.name)
        guard !unstored.isEmpty else { return nil }
        return "partial updates need every field of the schema stored; not stored: \(unstored.joined(separator: ", ")) (put the whole document instead)"
    }

    /// Checks the patch itself: fields the schema names, and no id other than the document's.
    func check() -> String? {
        for field in fields.fields {
            guard config.field(field.name) != nil else { return "field '\(field.name)' is not in the schema" }
            if field.name == config.idField, let text = fields.text(field.name), text != id {
                return "the patch's id '\(text)' differs from the document's id '\(id)'"
            }
        }
        return nil
    }

    /// The merged document: the stored fields in their stored order, each replaced by the
    /// patch's value when the patch has the field (the patch's other fields follow), the rest
    /// rebuilt from their stored JSON exactly as a put of that JSON would build them.
    ///
    /// - Returns: the document, or why a stored field cannot be rebuilt.
    func merged(with stored: [StoredField]) -> Result<Document, DocumentError> {
        var document = Document()
        var used = Set<String>()
        for storedField in stored {
            if fields.fields.contains(where: { $0.name == storedField.name }) {
                if used.insert(storedField.name).inserted {
                    document.fields.append(contentsOf: fields.fields.filter { $0.name == storedField.name })
                }
                continue
            }
            guard let field = config.field(storedField.name) else {
                return .failure(DocumentError(field: storedField.name, reason: "stored field '\(storedField.name)' is not in the schema"))
            }
            do {
                let value = try storedField.value.withUnsafeBufferPointer { bytes throws(JSONError) in try JSONParser.parse(bytes) }
                if case .null = value { continue }
                let values = try DocumentBuilder.values(of: value, for: field)
                document.fields.append(Document.Field(name: field.name, values: values, storedJSON: storedField.value))
            } catch let error as DocumentError {
                return .failure(error)
            } catch {
                return .failure(DocumentError(field: field.name, reason: "stored field '\(field.name)' is not valid JSON: \(error)"))
            }
        }
        for field in fields.fields where !used.contains(field.name) {
            document.fields.append(field)
        }
        guard document.text(config.idField) == id else {
            return .failure(DocumentError(field: config.idField, reason: "the merged document has no id '\(id)'"))
        }
        return .success(document)
    }
}
