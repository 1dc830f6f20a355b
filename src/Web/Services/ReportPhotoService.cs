using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Reports;
using KeyProjects.Silo.Storage;
using KeyProjects.Web.Identity;
using SkiaSharp;

namespace KeyProjects.Web.Services;

/// <summary>
/// Photos of a month's report (形象进度照片): an upload is checked (JPEG, PNG or WebP by its content, not its name; at
/// most <see cref="MaxBytes"/> and <see cref="MaxPixels"/>), re-encoded as JPEG at most <see cref="MaxSide"/> pixels
/// (which drops its metadata: where it was taken, the phone) with a thumbnail of <see cref="ThumbnailSide"/>, stored by
/// the app, then added to the report by its grain (which judges who may and when). The photo's id follows from the
/// upload's idempotency key: a retried upload is the same photo.
/// </summary>
public sealed class ReportPhotoService(IGrainFactory grains, PhotoStore store, ReadAccess access)
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxPixels = 40_000_000;
    public const int MaxSide = 2048;
    public const int ThumbnailSide = 320;

    public async Task<ReportCommandResult> Upload(ClaimsPrincipal user, string code, string month, Stream content, string? caption, string key)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 64 || !ReportRules.TryMonth(month, out _))
            return ReportCommandResult.Rejected(CommandOutcome.NotFound("report.not_found", "No such project or month."));
        if (caption is { Length: > ReportRules.CaptionMaxLength })
            return ReportCommandResult.Rejected(CommandOutcome.Invalid("caption", "text.too_long", $"At most {ReportRules.CaptionMaxLength} characters."));
        var actor = user.ToActor();
        if (await access.RefuseAct(user, code) is { } refused) return ReportCommandResult.Rejected(refused);
        if (await Read(content) is not { } bytes)
            return ReportCommandResult.Rejected(CommandOutcome.Invalid("file", "photo.too_large", $"A photo is at most {MaxBytes / 1048576} MB."));
        if (Encode(bytes) is not { } image)
            return ReportCommandResult.Rejected(CommandOutcome.Invalid("file", "photo.type", $"A photo is a JPEG, PNG or WebP image of at most {MaxPixels / 1_000_000} million pixels."));

        var id = CommandId.DeriveGuid("report-photo", actor.UserName + "\n" + key);
        await store.Save(id, code, month, "image/jpeg", image.Full, image.Thumbnail, actor.UserName, DateTimeOffset.UtcNow);
        var result = await grains.GetGrain<IProgressReportGrain>(ReportRules.Key(code, month)).AttachPhoto(key, actor,
            new ReportPhoto(id, caption?.Trim() ?? "", "image/jpeg", image.Width, image.Height, image.Full.Length, actor.UserName, actor.DisplayName, default));
        // Refused (not reported, locked, full, not theirs): the report has not got it, so its bytes go again. A refusal
        // changed nothing, so a retry with this key is a new attempt and stores them anew.
        if (!result.Outcome.Succeeded) await store.Delete(id);
        return result;
    }

    /// <summary>A photo (or its thumbnail), when the reader may read its project.</summary>
    public async Task<Readable<StoredPhoto>> Get(ClaimsPrincipal user, Guid id, bool thumbnail)
    {
        if (await store.Get(id, thumbnail) is not { } photo) return Readable<StoredPhoto>.NotFound("photo.not_found", "No such photo.");
        return (await access.Of(user)).Project(photo.ProjectCode) ? Readable<StoredPhoto>.Found(photo) : Readable<StoredPhoto>.No(ReadScope.ProjectRefused(photo.ProjectCode));
    }

    /// <summary>The upload's bytes, or null when it is larger than a photo may be.</summary>
    private static async Task<byte[]?> Read(Stream content)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + read > MaxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private sealed record Encoded(byte[] Full, byte[] Thumbnail, int Width, int Height);

    /// <summary>The photo upright, at most <see cref="MaxSide"/>, and its thumbnail, as JPEG; null when it is not a photo.</summary>
    private static Encoded? Encode(byte[] bytes)
    {
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        if (codec is null || codec.EncodedFormat is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png or SKEncodedImageFormat.Webp)) return null;
        if ((long)codec.Info.Width * codec.Info.Height > MaxPixels) return null;
        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null) return null;
        using var upright = Orient(decoded, codec.EncodedOrigin);
        var full = Scaled(upright, MaxSide);
        var thumbnail = Scaled(upright, ThumbnailSide);
        var (width, height) = Fit(upright.Width, upright.Height, MaxSide);
        return new Encoded(full, thumbnail, width, height);
    }

    /// <summary>The picture as the camera held it, on white (a transparent PNG's background), ready for JPEG.</summary>
    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        var turned = origin is SKEncodedOrigin.RightTop or SKEncodedOrigin.LeftBottom or SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightBottom;
        var result = new SKBitmap(turned ? source.Height : source.Width, turned ? source.Width : source.Height);
        using var canvas = new SKCanvas(result);
        canvas.Clear(SKColors.White);
        canvas.Translate(result.Width / 2f, result.Height / 2f);
        switch (origin)
        {
            case SKEncodedOrigin.BottomRight: canvas.RotateDegrees(180); break;
            case SKEncodedOrigin.RightTop: canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.LeftBottom: canvas.RotateDegrees(270); break;
            case SKEncodedOrigin.TopRight: canvas.Scale(-1, 1); break;
            case SKEncodedOrigin.BottomLeft: canvas.Scale(1, -1); break;
            case SKEncodedOrigin.LeftTop: canvas.RotateDegrees(90); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.RightBottom: canvas.RotateDegrees(270); canvas.Scale(1, -1); break;
        }
        canvas.Translate(-source.Width / 2f, -source.Height / 2f);
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear));
        return result;
    }

    private static (int Width, int Height) Fit(int width, int height, int side)
    {
        var scale = Math.Min(1.0, (double)side / Math.Max(width, height));
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    private static byte[] Scaled(SKBitmap source, int side)
    {
        var (width, height) = Fit(source.Width, source.Height, side);
        using var scaled = source.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using var image = SKImage.FromBitmap(scaled);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, side == ThumbnailSide ? 75 : 85);
        return data.ToArray();
    }
}
