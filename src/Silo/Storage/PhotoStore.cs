using Dapper;
using static KeyProjects.Silo.ReadModel.Database;

namespace KeyProjects.Silo.Storage;

/// <summary>A stored photo: its type and bytes (the image or its thumbnail).</summary>
/// <summary>A stored photo's bytes, and the project whose report it belongs to (who may read it follows from that).</summary>
public sealed record StoredPhoto(string ContentType, byte[] Bytes, string ProjectCode);

/// <summary>
/// The bytes of report photos, in the grains' database (kp_photos): written once under an id that follows from the
/// upload's idempotency key (a retried upload writes nothing new), read by id. Which photos a report has is the
/// report grain's; a photo whose upload the report refused is deleted again.
/// </summary>
public sealed class PhotoStore(StorageSettings storage)
{
    public async Task Save(Guid id, string projectCode, string month, string contentType, byte[] image, byte[] thumbnail, string uploadedBy, DateTimeOffset at)
    {
        await using var connection = Open(storage);
        await connection.ExecuteAsync("""
            INSERT INTO kp_photos (id, project_code, month, content_type, image, thumbnail, uploaded_by, uploaded_at)
            VALUES (@id, @projectCode, @month, @contentType, @image, @thumbnail, @uploadedBy, @at) ON CONFLICT (id) DO NOTHING
            """, new { id = id.ToString(), projectCode, month, contentType, image, thumbnail, uploadedBy, at = Millis(at) });
    }

    public async Task<StoredPhoto?> Get(Guid id, bool thumbnail)
    {
        await using var connection = Open(storage);
        var row = await connection.QueryFirstOrDefaultAsync<(string ContentType, byte[] Bytes, string ProjectCode)?>(
            $"SELECT content_type, {(thumbnail ? "thumbnail" : "image")}, project_code FROM kp_photos WHERE id = @id", new { id = id.ToString() });
        return row is { } r ? new StoredPhoto(thumbnail ? "image/jpeg" : r.ContentType, r.Bytes, r.ProjectCode) : null;
    }

    public async Task Delete(Guid id)
    {
        await using var connection = Open(storage);
        await connection.ExecuteAsync("DELETE FROM kp_photos WHERE id = @id", new { id = id.ToString() });
    }
}
