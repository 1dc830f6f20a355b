using KeyProjects.Grains.Domain;
using Microsoft.AspNetCore.Authorization;

namespace KeyProjects.Web.Identity;

/// <summary>
/// Who reads what the city shares among its officials, one name per read (pages and API use the same policy).
/// <see cref="CityFigures"/>: the figures, the 红黑榜 — the leadership, the office, administrators and every
/// department (a department ranks itself against the others); not project reporters, not wall screens.
/// <see cref="WarRoom"/>: the war room's live feed.
/// </summary>
public static class ReadPolicies
{
    public const string CityFigures = "city-figures";

    /// <summary>The war room's live feed (the hub): the leadership, the office, administrators and wall screens (kiosks).</summary>
    public const string WarRoom = "war-room";

    /// <summary>The city's officials — every role but the wall screens, which read only the war room: the API's and the pages' default.</summary>
    public const string Officials = "officials";

    public static AuthorizationOptions AddReadPolicies(this AuthorizationOptions options)
    {
        options.AddPolicy(Officials, p => p.RequireRole(nameof(Role.Leadership), nameof(Role.Office), nameof(Role.Admin), nameof(Role.Department), nameof(Role.ProjectReporter)));
        options.AddPolicy(CityFigures, p => p.RequireRole(nameof(Role.Leadership), nameof(Role.Office), nameof(Role.Admin), nameof(Role.Department)));
        options.AddPolicy(WarRoom, p => p.RequireRole(nameof(Role.Leadership), nameof(Role.Office), nameof(Role.Admin), nameof(Role.BigScreen)));
        return options;
    }
}
