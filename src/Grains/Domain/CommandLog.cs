namespace KeyProjects.Grains.Domain;

/// <summary>An idempotency key a grain applied, with the command kind, who sent it and when.</summary>
public sealed record ProcessedCommand(string CommandId, string Kind, string UserName, DateTimeOffset At = default);

/// <summary>
/// The memory of applied idempotency keys a grain keeps in its state: a retried command is recognised and answered
/// with its first outcome; a key reused for another command or by another user is refused. Keys are kept for
/// <see cref="Retention"/>, however many commands come after them, so a late retry is never applied twice.
/// </summary>
public static class CommandLog
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    /// <summary>Null for a new command; Ok for a retry of an applied one; a rejection for a bad or reused key.</summary>
    public static CommandOutcome? Check(List<ProcessedCommand> recent, string commandId, string kind, Actor actor)
    {
        if (string.IsNullOrWhiteSpace(commandId) || commandId.Length > CommandId.MaxLength)
            return CommandOutcome.Invalid("idempotencyKey", "command.invalid_key", $"An idempotency key of 1 to {CommandId.MaxLength} characters is required.");
        var seen = recent.Find(c => c.CommandId == commandId);
        if (seen is null) return null;
        if (seen.Kind != kind || seen.UserName != actor.UserName)
            return CommandOutcome.Conflict("command.key_reused", "This idempotency key was already used for another command.");
        return CommandOutcome.Ok;
    }

    /// <summary>
    /// The answer to a command that may be a retry: null for a new command (go on); for a retry of an applied one, what
    /// its first attempt may have left undone is finished (<paramref name="handOn"/>) and the current view answered;
    /// a bad or reused key is refused.
    /// </summary>
    public static async Task<TResult?> Replay<TResult>(List<ProcessedCommand> recent, string commandId, string kind, Actor actor,
        Func<Task> handOn, Func<TResult> answer, Func<CommandOutcome, TResult> refuse) where TResult : class
    {
        switch (Check(recent, commandId, kind, actor))
        {
            case null:
                return null;
            case { Succeeded: true }:
                await handOn();
                return answer();
            case var refused:
                return refuse(refused);
        }
    }

    /// <summary>Remembers a key and forgets those older than the retention period.</summary>
    public static void Remember(List<ProcessedCommand> recent, string commandId, string kind, Actor actor, DateTimeOffset now)
    {
        recent.RemoveAll(c => now - c.At > Retention);
        recent.Add(new ProcessedCommand(commandId, kind, actor.UserName, now));
    }
}
