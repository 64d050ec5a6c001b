import AWS
import ArgumentParser
import Common
import Foundation
import Logging

/// Hidden operator and test commands that exercise the AWS layer directly:
/// signing (compared with botocore in the e2e tests), DynamoDB items and tables,
/// S3 objects and buckets. Items are DynamoDB JSON (`{"id":{"S":"x"}}`).
struct AWSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws",
        abstract: "Low-level AWS calls through the built-in client (for tests and diagnosis).",
        shouldDisplay: false,
        subcommands: [
            AWSSign.self,
            DDBPut.self, DDBGet.self, DDBUpdate.self, DDBDelete.self, DDBQuery.self, DDBScan.self,
            DDBBatchPut.self, DDBTransactPut.self, DDBCreateTable.self, DDBDescribeTable.self, DDBListTables.self,
            DDBDeleteTable.self, DDBTimeToLive.self, DDBBench.self,
            S3PutFile.self, S3GetFile.self, S3Head.self, S3Delete.self, S3List.self, S3Presign.self,
            S3CreateBucket.self, S3BucketSettings.self,
        ]
    )
}

// MARK: - shared plumbing

/// The merged `.env` + process environment, as every client is configured from.
private func awsConfiguration() throws -> AWSConfiguration {
    AWSConfiguration(environment: try Environment.load().values)
}

private let cliLogger = Logger(label: "voicectl.aws")

/// Runs an AWS call; a failure prints the client's description on stderr and exits 2,
/// so scripts and tests can tell AWS refusals from usage errors.
@discardableResult
private func awsCall<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as DynamoDBError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(2)
    } catch let error as S3Error {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(2)
    }
}

private func parseItem(_ text: String, _ option: String) throws -> DynamoDBItem {
    do {
        return try AttributeValue.item(fromJSON: text)
    } catch {
        throw ValidationError("\(option): \(error)")
    }
}

private func parseNames(_ text: String?) throws -> [String: String] {
    guard let text else { return [:] }
    guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] else {
        throw ValidationError("--names-json must be an object of strings")
    }
    return object
}

private func printJSON(_ item: DynamoDBItem?) {
    print(item.map { AttributeValue.jsonString(of: $0) } ?? "null")
}

struct ExpressionOptions: ParsableArguments {
    @Option(help: "Condition expression.") var condition: String?
    @Option(help: "ExpressionAttributeNames as a JSON object.") var namesJSON: String?
    @Option(help: "ExpressionAttributeValues as DynamoDB JSON.") var valuesJSON: String?
    @Option(help: "Deadline for the whole call, in milliseconds.") var deadlineMs: Int?

    func names() throws -> [String: String] { try parseNames(namesJSON) }
    func values() throws -> DynamoDBItem { try valuesJSON.map { try parseItem($0, "--values-json") } ?? [:] }
    var options: AWSCallOptions { deadlineMs.map { .within(.milliseconds($0)) } ?? .standard }
}

// MARK: - signing

/// Reads a JSON array of request descriptions on stdin and prints what the signer
/// produces for each, so botocore can check it byte for byte.
struct AWSSign: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sign", abstract: "Sign requests read as JSON from stdin.")

    struct Input: Decodable {
        var method: String
        var url: String
        var headers: [[String]]?
        var body: String?
        var service: String
        var region: String
        var accessKey: String
        var secretKey: String
        var sessionToken: String?
        /// `x-amz-date` form, e.g. `20150830T123600Z`.
        var timestamp: String
        /// Presign instead of an Authorization header.
        var presignExpires: Int?
        var unsignedPayload: Bool?
    }

    struct Output: Encodable {
        var authorization: String?
        var url: String?
        var headers: [[String]]?
        var canonicalRequest: String?
        var error: String?
    }

    func run() throws {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let inputs = try decoder.decode([Input].self, from: data)
        let outputs = inputs.map { input -> Output in
            do {
                guard let date = SigV4Signer.date(fromTimestamp: input.timestamp) else {
                    return Output(error: "bad timestamp \(input.timestamp)")
                }
                let signer = SigV4Signer(
                    credentials: AWSCredentials(accessKeyId: input.accessKey, secretAccessKey: input.secretKey,
                                                sessionToken: input.sessionToken),
                    service: input.service, region: input.region)
                let headers = (input.headers ?? []).compactMap { pair in pair.count == 2 ? (name: pair[0], value: pair[1]) : nil }
                if let expires = input.presignExpires {
                    let url = try signer.presign(method: input.method, url: input.url, headers: headers, expires: expires, date: date)
                    return Output(url: url)
                }
                let payload: SigV4Signer.Payload = input.unsignedPayload == true ? .unsigned : .bytes(Array((input.body ?? "").utf8))
                let signed = try signer.sign(method: input.method, url: input.url, headers: headers, payload: payload, date: date)
                return Output(authorization: signed.authorization, headers: signed.headers.map { [$0.name, $0.value] },
                              canonicalRequest: signed.canonicalRequest)
            } catch {
                return Output(error: "\(error)")
            }
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(outputs), as: UTF8.self))
    }
}

// MARK: - DynamoDB items

struct DDBPut: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddb-put", abstract: "PutItem.")
    @Option var table: String
    @Option(help: "The item as DynamoDB JSON.") var itemJSON: String
    @OptionGroup var expression: ExpressionOptions

    func run() throws {
        let item = try parseItem(itemJSON, "--item-json")
        let client = DynamoDBClient(configuration: try awsConfiguration(), logger: cliLogger)
        let (names, values) = (try expression.names(), try expression.values())
        try awsCall {
            try client.putItem(table: table, item: item, condition: expression.condition, names: names, values: values,
                               options: expression.options)
        }
        print("ok")
    }
}

struct DDBGet: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddb-get", abstract: "GetItem; prints the item or null.")
    @Option var table: String
    @Option(help: "The key as DynamoDB JSON.") var keyJSON: String
    @Flag var consistent = false
    @Option var deadlineMs: Int?

    func run() throws {
        let key = try parseItem(keyJSON, "--key-json")
        let client = DynamoDBClient(configuration: try awsConfiguration(), logger: cliLogger)
        let options: AWSCallOptions = deadlineMs.map { .within(.milliseconds($0)) } ?? .standard
        printJSON(try awsCall { try client.getItem(table: table, key: key, consistentRead: consistent, options: options) })
    }
}

struct DDBUpdate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddb-update", abstract: "UpdateItem; prints ALL_NEW.")
    @Option var table: String
    @Option var keyJSON: String
    @Option(help: "Update expression.") var update: String
    @OptionGroup var expression: ExpressionOptions

    func run() throws {
        let key = try parseItem(keyJSON, "--key-json")
        let client = DynamoDBClient(configuration: try awsConfiguration(), logger: cliLogger)
        let (names, values) = (try expression.names(), try expression.values())
        printJSON(try awsCall {
            try client.updateItem(table: table, key: key, update: update, condition: expression.condition, names: names,
                                  values: values, returnValues: .allNew, options: expression.options)
        })
    }
}

struct DDBDelete: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddb-delete", abstract: "DeleteItem; prints ALL_OLD.")
    @Option var table: String
    @Option var keyJSON: String
    @OptionGroup var expression: ExpressionOptions

    func run() throws {
        let key = try parseItem(keyJSON, "--key-json")
        let client = DynamoDBClient(configuration: try awsConfiguration(), logger: cliLogger)
        let (names, values) = (try expression.names(), try expression.values())
        printJSON(try awsCall {
            try client.deleteItem(table: table, key: key, condition: expression.condition, names: names, values: values,
                                  returnValues: .allOld, options: expression.options)
        })
    }
}

struct DDBQuery: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddb-query", abstract: "Query; prints one item per line.")
    @Option var table: String
    @Option var index: String?
    @Option var keyCondition: String
    @Option var filter: String?
    @Option var limit: Int?
    @Flag(help: "Descending sort-key order.") var descending = false
    @Flag(help: "Follow LastEvaluatedKey through every page.") var all = false
    @OptionGroup var expression: ExpressionOptions

    func run() throws {
        let client = DynamoDBClient(configuration: try awsConfiguration(), logger: cliLogger)
        let query = DynamoDBQuery(table: table, index: index, keyCondition: keyCondition, filter: filter,
                                  names: try expression.names(), values: try expression.values(), limit: limit,
                                  scanIndexForward: !descending)
        if all {
            for item in try awsCall({ try client.queryAll(query, options: expression.options) }) { printJSON(item) }
        } else {
            let page = try awsCall { try client.query(query, options: expression.options) }
            for item in page.items { printJSON(item) }
            if let next = page.lastEvaluatedKey { print("LastEvaluatedKey " + AttributeValue.jsonString(of: next)) }
        }
    }
}

struct DDBScan: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddb-scan", abstract: "Scan every page; one item per line.")
    @Option var table: String
    @Option var filter: String?
    @OptionGroup var expression: ExpressionOptions

    func run() throws {
        let client = DynamoDBClient(configuration: try awsConfiguration(), logger: cliLogger)
        let scan = DynamoDBScan(table: table, filter: filter, names: try expression.names(), values: try expression.values())
        for item in try awsCall({ try client.scanAll(scan, options: expression.options) }) { printJSON(item) }
    }
}

struct DDBBatchPut: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddb-batch-put", abstract: "BatchWriteItem of items read from stdin (one DynamoDB JSON item per line).")
    @Option var table: String

    func run() throws {
        let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let items = try text.split(whereSeparator: \.isNewline).map { try parseItem(String($0), "stdin") }
        let client = DynamoDBClient(configuration: try awsConfiguration(), logger: cliLogger)
        try awsCall { try client.batchWriteItem([table: items.map { .put(item: $0) }]) }
        print("ok \(items.count)")
    }
}

struct DDBTransactPut: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ddb-transact-put",
        abstract: "TransactWriteItems of conditional puts (attribute_not_exists on --key-attribute); prints the cancellation reasons on failure.")
    @Option var table: String
    @Option var keyAttribute: String
    @Option(parsing: .upToNextOption, help: "Items as DynamoDB JSON.") var itemJSON: [String]

    func run() throws {
        let items = try itemJSON.map { try parseItem($0, "--item-json") }
        let client = DynamoDBClient(configuration: try awsConfiguration(), logger: cliLogger)
        do {
            try client.transactWriteItems(items.map {
                .put(table: table, item: $0, condition: "attribute_not_exists(#k)", names: ["#k": keyAttribute])
            })
            print("ok")
        } catch DynamoDBError.transactionCanceled(let message, let reasons) {
            print("canceled " + reasons.map(\.code).joined(separator: ","))
            FileHandle.standardError.write(Data("error: transaction canceled: \(message)\n".utf8))
            throw ExitCode(3)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

// MARK: - DynamoDB tables

struct DDBCreateTable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddb-create-table", abstract: "CreateTable (on demand) and wait until ACTIVE.")
    @Option var name: String
    @Option(help: "Partition key, name[:S|N|B].") var partitionKey: String
    @Option(help: "Sort key, name[:S|N|B].") var sortKey: String?
    @Option(parsing: .singleValue, help: "GSI as index=pk[:T][,sk[:T]]; repeatable.") var gsi: [String] = []
    @Option(help: "TTL attribute to enable.") var ttl: String?

    static func key(_ text: Substring) throws -> DynamoDBTableDefinition.Key {
        let parts = text.split(separator: ":")
        guard let name = parts.first else { throw ValidationError("empty key") }
        guard let type = DynamoDBTableDefinition.KeyType(rawValue: parts.count > 1 ? String(parts[1]) : "S") else {
            throw ValidationError("key type must be S, N or B")
        }
        return .init(String(name), type)
    }

    func run() throws {
        var indexes: [DynamoDBTableDefinition.GlobalSecondaryIndex] = []
        for spec in gsi {
            let halves = spec.split(separator: "=", maxSplits: 1)
            guard halves.count == 2 else { throw ValidationError("--gsi must look like index=pk[,sk]") }
            let keys = halves[1].split(separator: ",")
            indexes.append(.init(name: String(halves[0]), partitionKey: try Self.key(keys[0]),
                                 sortKey: keys.count > 1 ? try Self.key(keys[1]) : nil))
        }
        let definition = DynamoDBTableDefinition(name: name, partitionKey: try Self.key(Substring(partitionKey)),
                                                 sortKey: try sortKey.map { try Self.key(Substring($0)) },
                                                 globalSecondaryIndexes: indexes)
        let client = DynamoDBClient(configuration: try awsConfiguration(), logger: cliLogger)
        let created: Bool = try awsCall {
            do {
                try client.createTable(definition)
                return true
            } catch DynamoDBError.resourceInUse {
                return false
            }
        }
        let table = try awsCall { try client.waitUntilActive(name) }
        if let ttl { try awsCall { try client.updateTimeToLive(table: name, attribute: ttl) } }
        print("\(created ? "created" : "exists") \(table.name) \(table.status)")
    }
}

struct DDBDescribeTable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddb-describe-table", abstract: "DescribeTable and DescribeTimeToLive.")
    @Option var name: String

    func run() throws {
        let client = DynamoDBClient(configuration: try awsConfiguration(), logger: cliLogger)
        let table = try awsCall { try client.describeTable(name) }
        let ttl = try awsCall { try client.describeTimeToLive(table: name) }
        print("table \(table.name) status \(table.status) keys \(table.keySchema.joined(separator: ",")) billing \(table.billingMode ?? "-")")
        for (index, status) in table.globalSecondaryIndexes.sorted(by: { $0.key < $1.key }) { print("gsi \(index) \(status)") }
        print("ttl \(ttl.status) \(ttl.attributeName ?? "-")")
    }
}

struct DDBListTables: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddb-list-tables", abstract: "ListTables, one name per line.")
    func run() throws {
        let client = DynamoDBClient(configuration: try awsConfiguration(), logger: cliLogger)
        for name in try awsCall({ try client.listTables() }) { print(name) }
    }
}

struct DDBDeleteTable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddb-delete-table", abstract: "DeleteTable.")
    @Option var name: String
    func run() throws {
        let client = DynamoDBClient(configuration: try awsConfiguration(), logger: cliLogger)
        try awsCall { try client.deleteTable(name) }
        print("ok")
    }
}

struct DDBTimeToLive: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddb-ttl", abstract: "UpdateTimeToLive then DescribeTimeToLive.")
    @Option var table: String
    @Option var attribute: String
    func run() throws {
        let client = DynamoDBClient(configuration: try awsConfiguration(), logger: cliLogger)
        try awsCall { try client.updateTimeToLive(table: table, attribute: attribute) }
        let ttl = try awsCall { try client.describeTimeToLive(table: table) }
        print("ttl \(ttl.status) \(ttl.attributeName ?? "-")")
    }
}

/// N PutItem then N GetItem on one connection; prints wall rate and this process's
/// own CPU time per request (user + sys), which the emulator's speed does not distort.
struct DDBBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddb-bench", abstract: "Time PutItem and GetItem; prints JSON.")
    @Option var table: String
    @Option(help: "Partition key attribute (string).") var key: String
    @Option var count = 2000

    func run() throws {
        let client = DynamoDBClient(configuration: try awsConfiguration(), logger: cliLogger)
        func measure(_ body: (Int) throws -> Void) throws -> (wall: Double, cpu: Double) {
            let (startCPU, startWall) = (processCPUSeconds(), ContinuousClock.now)
            for i in 0..<count { try body(i) }
            let wall = ContinuousClock.now - startWall
            return (Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18, processCPUSeconds() - startCPU)
        }
        let put = try awsCall {
            try measure { i in
                try client.putItem(table: table, item: [key: .string("bench-\(i)"), "n": .int(i), "payload": .string("x")])
            }
        }
        let get = try awsCall {
            try measure { i in _ = try client.getItem(table: table, key: [key: .string("bench-\(i)")]) }
        }
        let n = Double(count)
        print(#"{"count": \#(count), "put_per_s": \#(Int(n / put.wall)), "get_per_s": \#(Int(n / get.wall)), "# +
              #""put_cpu_us": \#(Int(put.cpu / n * 1e6)), "get_cpu_us": \#(Int(get.cpu / n * 1e6))}"#)
    }
}

// MARK: - S3

struct S3PutFile: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "s3-put-file", abstract: "PutObject from a file (multipart above the threshold).")
    @Option var bucket: String
    @Option var key: String
    @Option var file: String
    @Option var contentType: String?
    @Option(help: "Multipart threshold in MiB.") var thresholdMb = 16
    @Option(help: "Part size in MiB (at least 5).") var partSizeMb = 8

    func run() throws {
        let client = S3Client(configuration: try awsConfiguration(), logger: cliLogger,
                              multipartThreshold: UInt64(thresholdMb) << 20, partSize: UInt64(partSizeMb) << 20)
        let result = try awsCall { try client.putObject(bucket: bucket, key: key, fileAt: file, contentType: contentType) }
        print("ok parts \(result.parts) etag \(result.etag ?? "-")")
    }
}

struct S3GetFile: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "s3-get-file", abstract: "GetObject into a file.")
    @Option var bucket: String
    @Option var key: String
    @Option var file: String

    func run() throws {
        let client = S3Client(configuration: try awsConfiguration(), logger: cliLogger)
        let metadata = try awsCall { try client.getObject(bucket: bucket, key: key, toFile: file) }
        print("ok \(metadata.contentLength) \(metadata.contentType ?? "-") \(metadata.serverSideEncryption ?? "-")")
    }
}

struct S3Head: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "s3-head", abstract: "HeadObject; prints size, type and encryption, or 'missing'.")
    @Option var bucket: String
    @Option var key: String

    func run() throws {
        let client = S3Client(configuration: try awsConfiguration(), logger: cliLogger)
        guard let metadata = try awsCall({ try client.headObject(bucket: bucket, key: key) }) else {
            print("missing")
            return
        }
        print("\(metadata.contentLength) \(metadata.contentType ?? "-") \(metadata.serverSideEncryption ?? "-")")
    }
}

struct S3Delete: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "s3-delete", abstract: "DeleteObject.")
    @Option var bucket: String
    @Option var key: String
    func run() throws {
        let client = S3Client(configuration: try awsConfiguration(), logger: cliLogger)
        try awsCall { try client.deleteObject(bucket: bucket, key: key) }
        print("ok")
    }
}

struct S3List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "s3-list", abstract: "ListObjectsV2, every page; key and size per line.")
    @Option var bucket: String
    @Option var prefix: String?
    func run() throws {
        let client = S3Client(configuration: try awsConfiguration(), logger: cliLogger)
        var token: String? = nil
        repeat {
            let page = try awsCall { try client.listObjectsV2(bucket: bucket, prefix: prefix, continuationToken: token) }
            for object in page.objects { print("\(object.key)\t\(object.size)") }
            token = page.nextContinuationToken
        } while token != nil
    }
}

struct S3Presign: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "s3-presign", abstract: "Print a presigned GET URL.")
    @Option var bucket: String
    @Option var key: String
    @Option var expires = 3600
    func run() throws {
        let client = S3Client(configuration: try awsConfiguration(), logger: cliLogger)
        print(try awsCall { try client.presignedGetURL(bucket: bucket, key: key, expiresIn: expires) })
    }
}

struct S3CreateBucket: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "s3-create-bucket", abstract: "CreateBucket (idempotent).")
    @Option var bucket: String
    func run() throws {
        let client = S3Client(configuration: try awsConfiguration(), logger: cliLogger)
        let created = try awsCall { try client.createBucket(bucket) }
        print(created ? "created" : "exists")
    }
}

struct S3BucketSettings: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "s3-bucket-settings", abstract: "Enable AES256 default encryption and versioning, then report them.")
    @Option var bucket: String
    func run() throws {
        let client = S3Client(configuration: try awsConfiguration(), logger: cliLogger)
        try awsCall { try client.putBucketEncryptionAES256(bucket) }
        try awsCall { try client.putBucketVersioning(bucket, enabled: true) }
        let exists = try awsCall { try client.headBucket(bucket) }
        let encryption = try awsCall { try client.bucketEncryptionAlgorithm(bucket) }
        let versioning = try awsCall { try client.bucketVersioningStatus(bucket) }
        print("exists \(exists) encryption \(encryption ?? "-") versioning \(versioning ?? "-")")
    }
}
