using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Reports;
using KeyProjects.Grains.Settings;
using KeyProjects.Tests.Infrastructure;
using SkiaSharp;

namespace KeyProjects.Tests.Api;

/// <summary>
/// Photos of a month's report on PostgreSQL through the API: a photo is checked by its content (not its name),
/// stored re-encoded at most 2048 px with a 320 px thumbnail, both read back as images of those sizes; a retried upload
/// is one photo; only the reporter or the office adds them, to a reported month, at most nine, never once the month is
/// locked; a refused upload leaves no bytes behind; bad files are named.
/// </summary>
public sealed class ReportPhotoApiTests(ClusterCommandCentre centre) : IClassFixture<ClusterCommandCentre>
{
    private const string Code = "2026-033";

    private static string LastMonth => ReportRules.MonthOf(WorkingCalendar.LocalDate(DateTimeOffset.UtcNow).AddMonths(-1));

    [Fact]
    public async Task Photos_are_checked_resized_kept_with_thumbnails_and_bounded_by_the_report()
    {
        using var reporter = await centre.As("reporter");
        using var office = await centre.As("office");
        using var mayor = await centre.As("mayor");
        var month = LastMonth;

        // Before the month is reported there is nothing to add a photo to.
        await ApiAssert.Refused(await Upload(reporter, month, ProjectFiles.Photo(800, 600), "现场"), HttpStatusCode.NotFound, "report.not_found");
        (await reporter.PostAsJsonAsync($"/api/projects/{Code}/reports/{month}", new { completedThisMonth = 120, imageProgress = "主体结构封顶", imageProgressPercent = 60 }))
            .EnsureSuccessStatusCode();

        // A wide PNG: stored as a 2048 × 1024 JPEG with a 320 × 160 thumbnail, both read back.
        var added = await ApiAssert.Ok<ProgressReportView>(await Upload(reporter, month, ProjectFiles.Photo(3000, 1500), "主体结构封顶现场"));
        var photo = Assert.Single(added.Report.Photos!);
        Assert.Equal(("主体结构封顶现场", 2048, 1024, "reporter"), (photo.Caption, photo.Width, photo.Height, photo.By));
        Assert.Equal((2048, 1024), await Image(mayor, $"/api/photos/{photo.Id}"));
        Assert.Equal((320, 160), await Image(mayor, $"/api/photos/{photo.Id}/thumbnail"));
        using (var anonymous = centre.Anonymous())
        using (var refused = await anonymous.GetAsync($"/api/photos/{photo.Id}")) Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using (var missing = await mayor.GetAsync($"/api/photos/{Guid.NewGuid()}")) Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // Named refusals: not an image (whatever its name), too large, a caption too long; nothing added.
        await ApiAssert.Refused(await Upload(reporter, month, "这不是照片"u8.ToArray(), "假照片", "photo.jpg"), HttpStatusCode.BadRequest, "photo.type");
        await ApiAssert.Refused(await Upload(reporter, month, new byte[KeyProjects.Web.Services.ReportPhotoService.MaxBytes + 1], "太大"), HttpStatusCode.BadRequest, "file");
        await ApiAssert.Refused(await Upload(reporter, month, ProjectFiles.Photo(100, 100), new string('长', 101)), HttpStatusCode.BadRequest, "caption");

        // The leadership reads photos but does not add them; the refused upload's bytes are gone.
        const string mayorKey = "photo-by-mayor";
        await ApiAssert.Refused(await Upload(mayor, month, ProjectFiles.Photo(400, 300), "领导上传", key: mayorKey), HttpStatusCode.Forbidden, "report.submit_forbidden");
        using (var gone = await mayor.GetAsync($"/api/photos/{CommandId.DeriveGuid("report-photo", "mayor\n" + mayorKey)}")) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        // A retried upload (the same key) is the same photo.
        for (var attempt = 0; attempt < 2; attempt++) await ApiAssert.Ok<ProgressReportView>(await Upload(reporter, month, ProjectFiles.Photo(640, 480), "重试", key: "photo-retry-1"));
        var report = (await reporter.GetFromJsonAsync<ProgressReportView>($"/api/projects/{Code}/reports/{month}", CommandCentre.Json))!;
        Assert.Equal(["主体结构封顶现场", "重试"], report.Report.Photos!.Select(p => p.Caption));

        // At most nine a month; the office may add them too; the lists carry them.
        for (var n = report.Report.Photos!.Count; n < ReportRules.MaxPhotos; n++)
            await ApiAssert.Ok<ProgressReportView>(await Upload(n % 2 == 0 ? office : reporter, month, ProjectFiles.Photo(300 + n, 200), $"第{n + 1}张"));
        await ApiAssert.Refused(await Upload(reporter, month, ProjectFiles.Photo(300, 200), "第十张"), HttpStatusCode.Conflict, "report.too_many_photos");
        var listed = await Eventually.Get(async () => (await mayor.GetFromJsonAsync<List<ProgressReport>>($"/api/projects/{Code}/reports", CommandCentre.Json))!.Single(r => r.Month == month),
            r => r.Photos?.Count == ReportRules.MaxPhotos, "the month's nine photos in the list");
        Assert.Contains(listed.Photos!, p => p.By == "office");
        // A photo does not move the project's figures: the month's report still counts its 120.
        Assert.Equal(120m, listed.Figures.CompletedThisMonth);

        // Once the office locks the month, no more photos (this month's report takes the test's last photos).
        var thisMonth = ReportRules.MonthOf(WorkingCalendar.LocalDate(DateTimeOffset.UtcNow));
        (await reporter.PostAsJsonAsync($"/api/projects/{Code}/reports/{thisMonth}", new { completedThisMonth = 10, imageProgress = "装饰装修", imageProgressPercent = 65 })).EnsureSuccessStatusCode();
        (await office.PostAsync($"/api/reports/{thisMonth}/lock", null)).EnsureSuccessStatusCode();
        await ApiAssert.Refused(await Upload(reporter, thisMonth, ProjectFiles.Photo(300, 200), "锁定后"), HttpStatusCode.Conflict, "report.locked");
    }

    private static async Task<HttpResponseMessage> Upload(HttpClient client, string month, byte[] file, string caption, string fileName = "现场.png", string? key = null)
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".jpg", StringComparison.Ordinal) ? "image/jpeg" : "image/png");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{Code}/reports/{month}/photos")
        {
            Content = new MultipartFormDataContent { { content, "file", fileName }, { new StringContent(caption), "caption" } },
        };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    /// <summary>The size of the image at a path, decoded as an image (so the answer really is one).</summary>
    private static async Task<(int Width, int Height)> Image(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        using var bitmap = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.NotNull(bitmap);
        return (bitmap.Width, bitmap.Height);
    }
}
