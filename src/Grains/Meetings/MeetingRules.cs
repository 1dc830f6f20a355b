using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Meetings;

/// <summary>Who does what with a meeting, and its limits (a meeting's state stays bounded).</summary>
public static class MeetingRules
{
    public const int MaxAgendaItems = 100;
    public const int MaxPosts = 300;
    public const int MaxDecisions = 200;
    public const int MaxAttendees = 300;
    public const int MaxAttendeeDepartments = 100;
    public const int MaxLeaders = 30;
    public const int TitleMaxLength = 200;
    public const int ShortTextMaxLength = 100;
    public const int PostMaxLength = 1000;
    public const int MinutesMaxLength = 50_000;

    /// <summary>The commands a meeting remembers (moves included): with the caps above, what bounds its state.</summary>
    public const int MaxCommands = 2000;

    /// <summary>How long a device counts as connected after its last sign of life.</summary>
    public static readonly TimeSpan PresenceLifetime = TimeSpan.FromSeconds(60);

    /// <summary>The office prepares meetings, keeps the agenda and the minutes.</summary>
    public static bool MayOrganise(Actor actor) => actor.Role == Role.Office;

    /// <summary>The office's presenter, or a leader, holds the floor and records decisions.</summary>
    public static bool MayPresent(Actor actor) => actor.Role is Role.Office or Role.Leadership;

    /// <summary>
    /// The leadership, the office, the administrator and the big screen read every meeting; a department reads the
    /// meetings it attends or has items on.
    /// </summary>
    public static bool MayRead(Actor actor, MeetingSummary meeting) =>
        actor.Role is Role.Leadership or Role.Office or Role.Admin or Role.BigScreen
        || (actor.Role == Role.Department && actor.DepartmentId is { } department
            && (meeting.AttendeeDepartmentIds.Contains(department) || meeting.AgendaDepartmentIds.Contains(department)));

    /// <summary>An attending department, or the department the item is about, posts its status.</summary>
    public static bool MayPost(Actor actor, MeetingSummary meeting, AgendaItem item) =>
        actor.Role == Role.Department && actor.DepartmentId is { } department
        && (meeting.AttendeeDepartmentIds.Contains(department) || item.DepartmentId == department);
}
