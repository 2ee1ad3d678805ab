import Core
import Hummingbird
import NIOCore

/// Reads a request body, whole or streamed in pieces, up to the server's limit, and decides
/// its format.
///
/// A body past the limit is refused from its Content-Length before a byte is read, or as
/// soon as the stream passes the limit, so a huge upload never sits in memory.
struct BodyReader: Sendable {
    let maxBytes: Int

    func read(_ request: Request) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes {
            throw tooLarge(length)
        }
        do {
            return try await request.body.collect(upTo: maxBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge(nil)
        } catch is NIOTooManyBytesError {
            // A chunked body has no Content-Length: the stream passed the limit.
            throw tooLarge(nil)
        }
    }

    /// Hands the body to `piece` chunk by chunk as it arrives, applying the size limit as the
    /// bytes come (the streamed bulk bodies build on it).
    func chunks(of request: Request, _ piece: (UnsafeBufferPointer<UInt8>) throws -> Void) async throws {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes {
            throw tooLarge(length)
        }
        var total = 0
        for try await chunk in request.body {
            total += chunk.readableBytes
            guard total <= maxBytes else { throw tooLarge(nil) }
            try chunk.withUnsafeReadableBytes { raw in try piece(raw.bindMemory(to: UInt8.self)) }
        }
    }

    /// Streams a JSON array body element by element (`JSONArraySplitter`): each element is
    /// handed to `element` as it completes, so a large bulk is never held whole nor parsed
    /// into one tree. A malformed array is a 400 naming the byte.
    func arrayElements(of request: Request, _ element: (UnsafeBufferPointer<UInt8>) throws -> Void) async throws {
        var splitter = JSONArraySplitter()
        do {
            try await chunks(of: request) { piece in try splitter.feed(piece, element) }
            try splitter.finish()
        } catch let error as RequestBodyError {
            throw Self.map(error)
        }
    }

    /// Streams an NDJSON body line by line (a line split across chunks is joined), so a large
    /// bulk is never held whole: each line is handed to `line` as it completes, then dropped.
    /// The size limit applies as the bytes arrive.
    func lines(of request: Request, _ line: (UnsafeBufferPointer<UInt8>) throws -> Void) async throws {
        var pending: [UInt8] = []
        try await chunks(of: request) { bytes in
            var start = 0
            while let newline = bytes[start...].firstIndex(of: 0x0A) {
                if pending.isEmpty {
                    try line(UnsafeBufferPointer(rebasing: bytes[start..<newline]))
                } else {
                    pending.append(contentsOf: bytes[start..<newline])
                    try pending.withUnsafeBufferPointer { try line($0) }
                    pending.removeAll(keepingCapacity: true)
                }
                start = newline + 1
            }
            pending.append(contentsOf: bytes[start...])
        }
        if !pending.isEmpty { try pending.withUnsafeBufferPointer { try line($0) } }
    }

    /// Whether the request says its body is NDJSON (a sniffed body is read whole instead).
    static func isNDJSON(_ request: Request) -> Bool {
        ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"].contains(mediaType(request) ?? "")
    }

    /// Whether the request says its body is JSON (a sniffed body is read whole instead).
    static func isJSON(_ request: Request) -> Bool {
        mediaType(request) == "application/json"
    }

    private static func mediaType(_ request: Request) -> String? {
        request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    private func tooLarge(_ length: Int?) -> APIError {
        let size = length.map { "\($0) bytes" } ?? "the body"
        return APIError(status: .contentTooLarge, code: "body_too_large", kind: .invalidRequest,
                        reason: "\(size) is over the limit of \(maxBytes) bytes (--max-body-size)")
    }

    /// The body's format from its Content-Type, sniffed when absent or form-encoded.
    static func format(of request: Request, body: ByteBuffer) throws(APIError) -> Core.RequestBody.Format {
        let contentType = request.headers[.contentType]
        let result: Result<Core.RequestBody.Format, RequestBodyError> = body.withUnsafeReadableBytes { raw in
            let bytes = UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count)
            do throws(RequestBodyError) { return .success(try Core.RequestBody.format(contentType: contentType, body: bytes)) }
            catch { return .failure(error) }
        }
        switch result {
        case .success(let format): return format
        case .failure(let error): throw map(error)
        }
    }

    /// Runs `parse` over the body's bytes and maps body errors to 400 / 415.
    static func parse<T>(_ body: ByteBuffer, _ parse: (UnsafeBufferPointer<UInt8>) throws(RequestBodyError) -> T) throws(APIError) -> T {
        let result: Result<T, RequestBodyError> = body.withUnsafeReadableBytes { raw in
            let bytes = UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count)
            do throws(RequestBodyError) { return .success(try parse(bytes)) }
            catch { return .failure(error) }
        }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw map(error)
        }
    }

    static func map(_ error: RequestBodyError) -> APIError {
        switch error {
        case .unsupportedMediaType:
            APIError(status: .unsupportedMediaType, code: "unsupported_content_type", kind: .invalidRequest, reason: error.description)
        case .malformed(let reason):
            .invalidBody(reason)
        }
    }

    /// The body as text (index configs, weighting overrides), refusing invalid UTF-8.
    static func text(_ body: ByteBuffer) throws(APIError) -> String {
        guard let text = body.getString(at: body.readerIndex, length: body.readableBytes),
              String(validating: body.readableBytesView, as: UTF8.self) != nil else {
            throw .invalidBody("the body is not valid UTF-8")
        }
        return text
    }
}
