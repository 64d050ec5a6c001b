import AWS
import ArgumentParser
import Foundation
import Logging

struct BucketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bucket",
        abstract: "Create the recordings bucket with default encryption (AES256) and versioning (idempotent).",
        subcommands: [Create.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create S3_BUCKET_RECORDINGS, encrypted and versioned.")

        func run() throws {
            let context = try AWSContext()
            let s3 = S3Client(configuration: context.aws, logger: Logger(label: "voicectl"))
            let bucket = context.config.recordings.bucket
            print("Bucket: \(bucket) (region \(context.aws.region))")
            // us-east-1 answers CreateBucket with 200 for a bucket we already own,
            // so ask first to report truthfully.
            if try context.aws({ try s3.headBucket(bucket) }) {
                print("✓ Bucket already exists")
            } else {
                let created = try context.aws { try s3.createBucket(bucket) }
                print(created ? "✓ Bucket created" : "✓ Bucket already exists")
            }
            if try context.aws({ try s3.bucketEncryptionAlgorithm(bucket) }) == "AES256" {
                print("✓ Default encryption AES256 already set")
            } else {
                try context.aws { try s3.putBucketEncryptionAES256(bucket) }
                print("✓ Default encryption set to AES256")
            }
            if try context.aws({ try s3.bucketVersioningStatus(bucket) }) == "Enabled" {
                print("✓ Versioning already enabled")
            } else {
                try context.aws { try s3.putBucketVersioning(bucket) }
                print("✓ Versioning enabled")
            }
        }
    }
}
