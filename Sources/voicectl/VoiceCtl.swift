import ArgumentParser

/// The operator's command-line tool: configuration checks, SessionDB inspection,
/// and (as the AWS and voice layers land) tables, bucket, seed data and calls.
@main
struct VoiceCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voicectl",
        abstract: "Operate the voice and chat assistant backend.",
        subcommands: [
            ConfigCommand.self,
            SessionDBCommand.self,
            AWSCommand.self,
        ]
    )
}
