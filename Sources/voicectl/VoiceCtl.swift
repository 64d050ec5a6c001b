import ArgumentParser

/// The operator's command-line tool: configuration, DynamoDB tables, the
/// recordings bucket, seed data, phone numbers and SessionDB.
@main
struct VoiceCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voicectl",
        abstract: "Operate the voice and chat assistant backend.",
        subcommands: [
            ConfigCommand.self,
            TablesCommand.self,
            BucketCommand.self,
            SeedCommand.self,
            AgentsCommand.self,
            NumbersCommand.self,
            SessionDBCommand.self,
            OutboxCommand.self,
            AWSCommand.self,
            RemoSetupCommand.self,
            CallCommand.self,
            CallsCommand.self,
        ]
    )
}
