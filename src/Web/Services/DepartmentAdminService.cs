using System.Security.Claims;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;
using KeyProjects.Web.Office;

namespace KeyProjects.Web.Services;

/// <summary>A new unit: its code (letters, digits, '-' and '_'), name, kind and first duty list.</summary>
public sealed record CreateDepartmentRequest(string? Id, string? Name, DepartmentKind? Kind, IReadOnlyList<string>? Duties);

public sealed record RenameDepartmentRequest(string? Name);

public sealed record DutiesRequest(IReadOnlyList<string>? Duties);

public sealed record RetireDepartmentRequest(string? Reason);

/// <summary>
/// Administration of the roster of departments and towns (admin): create, rename, set the duty list (职责清单),
/// retire and reinstate — each a command on the unit's grain (an event with who and when) and a line in the audit log.
/// A unit is retired only when it has nothing in hand (open problems it leads or assists, open orders, open approval
/// items): those are handed on first, so nothing is left with a unit nobody answers for.
/// </summary>
public sealed class DepartmentAdminService(IGrainFactory grains, ReadModelQueries readModel, AuditLog audit)
{
    /// <summary>The roster with duty lists, retired units too (administrators).</summary>
    public async Task<IReadOnlyList<DepartmentView>?> List(ClaimsPrincipal user) =>
        user.ToActor().Role is Role.Admin ? await readModel.Departments() : null;

    /// <summary>A unit's changes as the event log keeps them (who, when, the former name, the reason), oldest first.</summary>
    public async Task<IReadOnlyList<LoggedHistoryEntry>> History(string id) =>
        (await readModel.Stream(Streams.Of(Streams.Department, id))).Select(e =>
        {
            var change = EventJson.Read<DepartmentChanged>(e.Data);
            var note = change.Action switch
            {
                "renamed" or "updated" when change.FormerName is { } former => $"{former} → {change.Department.Profile.Name}",
                "retired" => change.Department.RetiredReason,
                "duties-set" => string.Join("、", change.Department.Duties),
                _ => change.Department.Profile.Name,
            };
            return new LoggedHistoryEntry(e.Position, e.Sequence, e.At, e.Kind, e.Actor, e.ActorName, null, null, note, e.PrevHash, e.Hash);
        }).ToList();

    public async Task<DepartmentCommandResult> Create(ClaimsPrincipal user, CreateDepartmentRequest request, string key)
    {
        var actor = user.ToActor();
        if (actor.Role is not Role.Admin) return Refuse(CommandOutcome.Forbidden("department.admin_forbidden", "Administrators keep the roster of departments and towns."));
        var id = request.Id?.Trim() ?? "";
        if (id.Length == 0) return Refuse(CommandOutcome.Invalid("id", "field.required", "The unit's code."));
        if (!DepartmentRules.IsWellFormedId(id))
            return Refuse(CommandOutcome.Invalid("id", "department.bad_id", $"Letters, digits, '-' and '_', at most {DepartmentRules.IdMaxLength}."));
        if (CommandOutcome.RequiredText("name", request.Name, DepartmentRules.NameMaxLength) is { } badName) return Refuse(badName);
        if (request.Kind is not { } kind || !Enum.IsDefined(kind)) return Refuse(CommandOutcome.Invalid("kind", "field.required", "Department or Town."));
        var (duties, badDuties) = DepartmentRules.Duties(request.Duties);
        if (badDuties is not null) return Refuse(badDuties);
        var profile = new DepartmentProfile(id, request.Name!.Trim(), kind);
        return await Audited(user, id, "department.created", unit => unit.Create(key, actor, profile, duties),
            u => $"{u.Profile.Name}（{ChineseNames.Of(kind)}）；职责 {u.Duties.Count} 条");
    }

    public Task<DepartmentCommandResult> Rename(ClaimsPrincipal user, string id, RenameDepartmentRequest request, string key) =>
        Audited(user, id, "department.renamed", unit => unit.Rename(key, user.ToActor(), request.Name ?? ""), u => u.Profile.Name);

    public Task<DepartmentCommandResult> SetDuties(ClaimsPrincipal user, string id, DutiesRequest request, string key) =>
        Audited(user, id, "department.duties-set", unit => unit.SetDuties(key, user.ToActor(), request.Duties ?? []), u => $"职责 {u.Duties.Count} 条");

    public async Task<DepartmentCommandResult> Retire(ClaimsPrincipal user, string id, RetireDepartmentRequest request, string key)
    {
        if (user.ToActor().Role is Role.Admin && !string.IsNullOrWhiteSpace(request.Reason)
            && await grains.GetGrain<IDepartmentGrain>(id).GetProfile() is { Retired: false })
        {
            var (problems, directives, approvals, needs) = await readModel.WorkInHand(id);
            if (problems + directives + approvals + needs > 0)
                return Refuse(CommandOutcome.Conflict("department.has_work",
                    $"The unit still has {problems} open problems, {directives} open orders, {approvals} open approval items and {needs} needs not met: hand them on first."));
        }
        return await Audited(user, id, "department.retired", unit => unit.Retire(key, user.ToActor(), request.Reason ?? ""), u => u.RetiredReason ?? "");
    }

    public Task<DepartmentCommandResult> Reinstate(ClaimsPrincipal user, string id, string key) =>
        Audited(user, id, "department.reinstated", unit => unit.Reinstate(key, user.ToActor()), _ => "");

    /// <summary>Runs a command on a unit; what changed it (not a retry answered again) goes to the audit log.</summary>
    private async Task<DepartmentCommandResult> Audited(ClaimsPrincipal user, string id, string action,
        Func<IDepartmentGrain, Task<DepartmentCommandResult>> command, Func<DepartmentView, string> detail)
    {
        var unit = grains.GetGrain<IDepartmentGrain>(id);
        var before = id.Length <= DepartmentRules.IdMaxLength ? (await unit.Get())?.Version : null;
        var result = await command(unit);
        if (result.Outcome.Succeeded && result.Department!.Version != before) await audit.Admin(user, action, id, detail(result.Department));
        return result;
    }

    private static DepartmentCommandResult Refuse(CommandOutcome outcome) => DepartmentCommandResult.Rejected(outcome);
}
