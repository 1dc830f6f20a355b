using KeyProjects.Tests.Infrastructure;

namespace KeyProjects.Tests.Api;

/// <summary>What an operator sees on the first start: where it listens, and a console that is not drowned in noise.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task A_bad_password_policy_stops_start_up_with_a_message_naming_the_setting()
    {
        var env = new Dictionary<string, string>
        {
            ["KeyProjects__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"kp-startup-{Guid.NewGuid():N}"),
            ["KeyProjects__Passwords__RequiredLength"] = "3",
        };
        var port = ProcessRunner.FreeTcpPort();
        await using var web = AppProcess.StartWeb(env, port);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => web.WaitUntilReady(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromMinutes(2)));
        Assert.Contains("exited with 2", refused.Message);
        Assert.Contains("KeyProjects:Passwords:RequiredLength is '3'", refused.Message);
    }

    [Fact]
    public async Task The_web_host_listens_where_ASPNETCORE_URLS_says_starts_quietly_and_answers_as_a_hardened_host_behind_a_proxy()
    {
        var port = ProcessRunner.FreeTcpPort();
        var data = Path.Combine(Path.GetTempPath(), $"kp-startup-{Guid.NewGuid():N}");
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["KeyProjects__DataDirectory"] = data,
            ["KeyProjects__Orleans__SiloPort"] = ProcessRunner.FreeTcpPort().ToString(),
            ["KeyProjects__Orleans__GatewayPort"] = ProcessRunner.FreeTcpPort().ToString(),
            ["Logging__LogLevel__Default"] = "Information", // what `dotnet run` shows
        };
        try
        {
            await using var web = AppProcess.StartWeb(env, httpPort: null);
            await web.WaitUntilReady(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromMinutes(3));
            var output = web.Output;
            Assert.Contains($"running at http://127.0.0.1:{port}", output);
            Assert.Contains("office（项目办）", output);
            Assert.Contains("screen（指挥大屏）", output);
            Assert.DoesNotContain("Execution attempt", output);
            Assert.DoesNotContain("[Office]", output);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            // Liveness answers without looking at dependencies; pages carry the security headers.
            using (var live = await http.GetAsync("/health/live")) Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
            using (var login = await http.GetAsync("/login"))
            {
                Assert.Equal(["nosniff"], login.Headers.GetValues("X-Content-Type-Options"));
                Assert.Equal(["DENY"], login.Headers.GetValues("X-Frame-Options"));
                var policy = Assert.Single(login.Headers.GetValues("Content-Security-Policy"));
                foreach (var directive in new[] { "default-src 'self'", "script-src 'self';", "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "object-src 'none'" })
                    Assert.Contains(directive, policy);
                Assert.DoesNotContain("unsafe-eval", policy);
                Assert.Equal(["same-origin"], login.Headers.GetValues("Referrer-Policy"));
            }

            // Behind a TLS proxy (loopback is trusted): redirects use the public https address, and HSTS is sent.
            using (var proxied = new HttpRequestMessage(HttpMethod.Get, "/cockpit"))
            {
                proxied.Headers.Add("X-Forwarded-Proto", "https");
                proxied.Headers.Add("X-Forwarded-Host", "kp.example.gov.cn");
                using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = http.BaseAddress };
                using var response = await noRedirects.SendAsync(proxied);
                Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
                Assert.StartsWith("https://kp.example.gov.cn/login", response.Headers.Location!.ToString());
                Assert.True(response.Headers.Contains("Strict-Transport-Security"));
            }

            // Sign-in attempts from one address: 20 a minute by default, then 429 (the account is not locked by a flood).
            var statuses = new List<System.Net.HttpStatusCode>();
            for (var i = 0; i < 25; i++)
            {
                using var attempt = await http.PostAsync("/api/auth/token", System.Net.Http.Json.JsonContent.Create(new { userName = "nobody", password = "wrong" }));
                statuses.Add(attempt.StatusCode);
            }
            Assert.Equal(20, statuses.Count(s => s == System.Net.HttpStatusCode.Unauthorized));
            Assert.Equal(5, statuses.Count(s => s == System.Net.HttpStatusCode.TooManyRequests));
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }
}
