using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using KeyProjects.Grains.Projects;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Services;

namespace KeyProjects.Tests.Api;

/// <summary>
/// Registering and changing one project at a time (the office's form and the API): the same rules as a row of the
/// yearly list's import, every faulty field named, a code in use refused, a retry the same registration, the change an
/// event with who and when, the leadership group's 包联 lists in step.
/// </summary>
public sealed class ProjectRegistrationApiTests(EmbeddedCommandCentre centre) : IClassFixture<EmbeddedCommandCentre>
{
    private static Dictionary<string, object?> Form(string code) => new()
    {
        ["code"] = code, ["name"] = "年产5万吨新材料项目", ["category"] = "Industrial", ["type"] = "New", ["level"] = "City", ["stage"] = "Signed",
        ["town"] = "南湖镇", ["ownerUnit"] = "南湖新材料有限公司", ["responsibleLeader"] = "L03", ["responsibleDepartment"] = "gxj",
        ["totalInvestment"] = 52000, ["annualPlannedInvestment"] = 12000, ["plannedStart"] = "2027-03-01", ["plannedCompletion"] = "2028-12-31",
        ["nationalCode"] = "2026-330100-30-03-000001", ["onInspectionTour"] = true,
    };

    [Fact]
    public async Task The_office_registers_a_project_then_changes_it_and_every_fault_is_named()
    {
        using var office = await centre.As("office");
        var code = $"REG-{Guid.NewGuid():N}"[..12];

        // Every fault at once, each named by its field; nothing registered.
        var bad = Form(code);
        bad["name"] = "";
        bad["town"] = "火星镇";
        bad["responsibleLeader"] = "无此人";
        bad["responsibleDepartment"] = "nosuch";
        bad["annualPlannedInvestment"] = 60000;
        bad["plannedCompletion"] = "2027-01-01";
        using (var refused = await office.PostAsJsonAsync("/api/projects", bad))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.Equal(["annualPlannedInvestment", "name", "plannedCompletion", "responsibleDepartment", "responsibleLeader", "town"],
                errors.EnumerateObject().Select(e => e.Name).Order());
            Assert.Contains("不是本市的镇街", errors.GetProperty("town")[0].GetString());
        }
        await ApiAssert.Refused(await office.PostAsJsonAsync("/api/projects", new Dictionary<string, object?>(Form(code)) { ["code"] = "带空格 的编号" }), HttpStatusCode.BadRequest, "code");
        await ApiAssert.Refused(await office.PostAsJsonAsync("/api/projects", new Dictionary<string, object?>(Form(code)) { ["category"] = "Space" }), HttpStatusCode.BadRequest, "category");
        await ApiAssert.Refused(await office.PostAsJsonAsync("/api/projects", new Dictionary<string, object?>(Form(code)) { ["totalInvestment"] = -1 }), HttpStatusCode.BadRequest, "totalInvestment");
        using (var none = await office.GetAsync($"/api/projects/{code}")) Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);

        // Registered; a retry of the same registration answers as the first; another with the code is a 409.
        var created = await ApiAssert.Ok<ProjectView>(await office.PostAsJsonAsync("/api/projects", Form(code)));
        Assert.Equal((code, ProjectStage.Signed, "南湖镇", "L03", 52000m, true), (created.Profile.Code, created.Profile.Stage, created.Profile.Town,
            created.Profile.ResponsibleLeaderId, created.Profile.TotalInvestment, created.Profile.OnInspectionTour));
        Assert.Equal(code, (await ApiAssert.Ok<ProjectView>(await office.PostAsJsonAsync("/api/projects", Form(code)))).Profile.Code);
        await ApiAssert.Refused(await office.PostAsJsonAsync("/api/projects", new Dictionary<string, object?>(Form(code)) { ["name"] = "另一个项目" }),
            HttpStatusCode.Conflict, "project.exists");
        var library = (await office.GetFromJsonAsync<ProjectPage>($"/api/projects?q={code}", CommandCentre.Json))!;
        Assert.Equal([code], library.Items.Select(p => p.Code));
        await Eventually(async () => (await Leaders(office)).Single(m => m.Leader.Id == "L03").ProjectCodes.Contains(code));

        // Changed: the name, the leader (包联 moves), the investment; the stage stays (it moves by its own command).
        var change = Form(code);
        change["name"] = "年产8万吨新材料项目";
        change["responsibleLeader"] = "L04";
        change["totalInvestment"] = 80000;
        change["stage"] = "UnderConstruction";
        var changed = await ApiAssert.Ok<ProjectView>(await office.PutAsJsonAsync($"/api/projects/{code}", change));
        Assert.Equal(("年产8万吨新材料项目", "L04", 80000m, ProjectStage.Signed), (changed.Profile.Name, changed.Profile.ResponsibleLeaderId,
            changed.Profile.TotalInvestment, changed.Profile.Stage));
        var members = await Leaders(office);
        Assert.Contains(code, members.Single(m => m.Leader.Id == "L04").ProjectCodes);
        Assert.DoesNotContain(code, members.Single(m => m.Leader.Id == "L03").ProjectCodes);
        var bad2 = Form(code);
        bad2["annualPlannedInvestment"] = 999999;
        await ApiAssert.Refused(await office.PutAsJsonAsync($"/api/projects/{code}", bad2), HttpStatusCode.BadRequest, "annualPlannedInvestment");
        await ApiAssert.Refused(await office.PutAsJsonAsync("/api/projects/NO-SUCH-PROJECT", Form("NO-SUCH-PROJECT")), HttpStatusCode.NotFound, "project.not_found");

        // Only the office (and administrators) register; a department is refused and nothing changes.
        using var zrzy = await centre.As("zrzy");
        await ApiAssert.Refused(await zrzy.PutAsJsonAsync($"/api/projects/{code}", Form(code)), HttpStatusCode.Forbidden, "project.register_forbidden");
        Assert.Equal("年产8万吨新材料项目", (await office.GetFromJsonAsync<ProjectDetail>($"/api/projects/{code}", CommandCentre.Json))!.Profile.Name);

        // The change is an event the read model follows: the library shows the new name and leader.
        await Eventually(async () => (await office.GetFromJsonAsync<ProjectPage>($"/api/projects?q={code}", CommandCentre.Json))!.Items
            .Single() is { Name: "年产8万吨新材料项目", ResponsibleLeaderId: "L04" });
    }

    private static async Task<IReadOnlyList<LeaderAssignment>> Leaders(HttpClient client) =>
        (await client.GetFromJsonAsync<List<LeaderAssignment>>("/api/leadership", CommandCentre.Json))!;

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("the condition never held");
    }
}
