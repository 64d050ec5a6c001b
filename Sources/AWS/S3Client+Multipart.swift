import CryptoCore
import Foundation

extension S3Client {
    /// CreateMultipartUpload, UploadPart for each `partSize` slice of the file, then
    /// CompleteMultipartUpload; any failure aborts the upload so no parts linger.
    func multipartUpload(
        bucket: String, key: String, path: String, size: UInt64, contentType: String?,
        serverSideEncryption: Bool, metadata: [String: String], options: AWSCallOptions
    ) throws(S3Error) -> S3PutResult {
        let uploadId = try createMultipartUpload(bucket: bucket, key: key, contentType: contentType,
                                                 serverSideEncryption: serverSideEncryption, metadata: metadata,
                                                 options: options)
        do throws(S3Error) {
            var etags: [String] = []
            var offset: UInt64 = 0
            var partNumber = 1
            while offset < size {
                let length = min(partSize, size - offset)
                let target = url(bucket: bucket, key: key, query: Self.query([
                    ("partNumber", String(partNumber)), ("uploadId", uploadId),
                ]))
                let request = AWSRequest(method: "PUT", url: target, headers: [],
                                         body: .file(path: path, offset: offset, length: length),
                                         payload: filePayload(url: target), isTransfer: true)
                let response = try perform(request, "UploadPart", options: options)
                guard let etag = response.header("ETag") else {
                    throw S3Error.invalidResponse("UploadPart \(partNumber) returned no ETag")
                }
                etags.append(etag)
                offset += length
                partNumber += 1
            }
            let result = try completeMultipartUpload(bucket: bucket, key: key, uploadId: uploadId, etags: etags,
                                                     options: options)
            logger.debug("multipart upload complete", metadata: ["bucket": "\(bucket)", "parts": "\(etags.count)", "bytes": "\(size)"])
            return result
        } catch {
            abortMultipartUpload(bucket: bucket, key: key, uploadId: uploadId)
            throw error
        }
    }

    func createMultipartUpload(bucket: String, key: String, contentType: String?, serverSideEncryption: Bool,
                               metadata: [String: String], options: AWSCallOptions) throws(S3Error) -> String {
        let request = AWSRequest(
            method: "POST", url: url(bucket: bucket, key: key, query: "uploads"),
            headers: Self.objectHeaders(contentType: contentType, serverSideEncryption: serverSideEncryption, metadata: metadata))
        let response = try perform(request, "CreateMultipartUpload", options: options)
        guard let root = try? XMLElement.parse(response.body), let uploadId = root.text(of: "UploadId"), !uploadId.isEmpty else {
            throw S3Error.invalidResponse("CreateMultipartUpload returned no UploadId")
        }
        return uploadId
    }

    func completeMultipartUpload(bucket: String, key: String, uploadId: String, etags: [String],
                                 options: AWSCallOptions) throws(S3Error) -> S3PutResult {
        var xml = "<CompleteMultipartUpload xmlns=\"\(Self.xmlNamespace)\">"
        for (index, etag) in etags.enumerated() {
            xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(XMLElement.escape(etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let request = AWSRequest(method: "POST", url: url(bucket: bucket, key: key, query: Self.query([("uploadId", uploadId)])),
                                 headers: [("Content-Type", "application/xml")], body: .bytes(Array(xml.utf8)))
        let response = try perform(request, "CompleteMultipartUpload", options: options)
        // S3 can answer 200 and still report an error in the body.
        let root = try? XMLElement.parse(response.body)
        if let root, root.name == "Error" {
            throw S3Error(service: AWSServiceError(status: 200, code: root.text(of: "Code") ?? "InternalError",
                                                   message: root.text(of: "Message") ?? "CompleteMultipartUpload failed"))
        }
        return S3PutResult(etag: root?.text(of: "ETag").map(Self.unquote), versionId: response.header("x-amz-version-id"),
                           parts: etags.count)
    }

    /// Best effort: the upload already failed, and an abort failure must not hide why.
    func abortMultipartUpload(bucket: String, key: String, uploadId: String) {
        let request = AWSRequest(method: "DELETE", url: url(bucket: bucket, key: key, query: Self.query([("uploadId", uploadId)])),
                                 headers: [])
        do {
            _ = try perform(request, "AbortMultipartUpload", options: .standard)
        } catch {
            logger.warning("multipart abort failed", metadata: ["bucket": "\(bucket)", "error": "\(error)"])
        }
    }
}
