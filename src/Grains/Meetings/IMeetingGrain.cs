using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Meetings;

/// <summary>
/// One coordination meeting (调度会) and its rules: the agenda the office prepares, the live run (one presenter holds
/// the floor and moves through the items; attending departments post their status), the decisions (each becomes a
/// problem or a directive that runs through the usual machinery) and the minutes. Every command carries an
/// idempotency key.
/// </summary>
public interface IMeetingGrain : IGrainWithGuidKey
{
    Task<MeetingCommandResult> Schedule(ScheduleMeeting command);
    Task<MeetingCommandResult> AddItem(string commandId, Actor actor, string title, string? departmentId, string? projectCode, string? note);
    Task<MeetingCommandResult> RemoveItem(string commandId, Actor actor, string itemId);
    Task<MeetingCommandResult> MoveItem(string commandId, Actor actor, string itemId, int position);

    /// <summary>开会: the meeting goes live at its first item; whoever starts it holds the floor.</summary>
    Task<MeetingCommandResult> Start(string commandId, Actor actor);

    /// <summary>Takes the floor when nobody holds it (or the holder takes it again from another device).</summary>
    Task<MeetingCommandResult> TakeFloor(string commandId, Actor actor);

    /// <summary>The holder (or a leader) hands the floor to another presenter.</summary>
    Task<MeetingCommandResult> HandOver(string commandId, Actor actor, Actor to);

    /// <summary>The presenter moves to an agenda item; every screen follows.</summary>
    Task<MeetingCommandResult> MoveTo(string commandId, Actor actor, string itemId);

    Task<MeetingCommandResult> PostStatus(string commandId, Actor actor, string text);
    Task<MeetingCommandResult> RecordDecision(RecordDecision command);

    /// <summary>散会: the floor is released and the minutes are drafted.</summary>
    Task<MeetingCommandResult> Close(string commandId, Actor actor);

    Task<MeetingCommandResult> SaveMinutes(string commandId, Actor actor, string text);
    Task<MeetingCommandResult> ApproveMinutes(string commandId, Actor actor, string text);

    Task<MeetingView?> Get();

    /// <summary>
    /// A device on the meeting says it is there (every ~15 s). When <paramref name="attending"/> (a page of the meeting,
    /// not a wall screen) the first sign of a user in the live meeting is recorded as attendance.
    /// </summary>
    Task Heartbeat(string presenceId, Actor actor, bool attending);

    Task Leave(string presenceId);
}
