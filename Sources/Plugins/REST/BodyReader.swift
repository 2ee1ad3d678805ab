import Core
import Hummingbird
import NIOCore

/// Reads a request body whole, up to the server's limit, and decides its format.
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
