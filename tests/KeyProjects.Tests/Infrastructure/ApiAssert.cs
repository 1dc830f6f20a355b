using System.Net;
using System.Net.Http.Json;

namespace KeyProjects.Tests.Infrastructure;

/// <summary>Reading command answers in API tests: a success's body, or a refusal's status and what it names.</summary>
public static class ApiAssert
{
    /// <summary>The body of a successful answer (the test fails with the status and body otherwise).</summary>
    public static async Task<T> Ok<T>(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return (await response.Content.ReadFromJsonAsync<T>(CommandCentre.Json))!;
        }
    }

    /// <summary>A refusal with this status whose ProblemDetails names <paramref name="named"/> (a field, a code, a word).</summary>
    public static async Task Refused(HttpResponseMessage response, HttpStatusCode status, string named)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
            Assert.Contains(named, body);
        }
    }
}
