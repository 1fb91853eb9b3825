using Templates.Rules;
using RoutedService = Templates.Rules.ListenerRoutes.RoutedService;

namespace Templates.Tests;

/// <summary>Routes of web services on one listener, judged as the Application Load Balancer documents its rules.</summary>
public class ListenerRouteTests
{
    [Theory]
    [InlineData("/api/*")]
    [InlineData("/img/*.png")]
    [InlineData("/v?/users")]
    [InlineData("*")]
    [InlineData("/a_b-c.d$e~f\"g'h@i:j+k")]
    public void Path_patterns_AWS_allows_pass(string pattern) => Assert.Null(ListenerRoutes.PathPattern(pattern));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("/search?q=x", "query string")]
    [InlineData("/a b", "without spaces")]
    [InlineData("/price%20list", "'%'")]
    [InlineData("/page#top", "query string or fragment")]
    public void Path_patterns_AWS_refuses_fail(string pattern, string expected)
    {
        var found = ListenerRoutes.PathPattern(pattern);
        Assert.NotNull(found);
        Assert.Contains(expected, found.Value.Problem + " " + found.Value.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_pattern_is_at_most_128_characters()
    {
        Assert.Null(ListenerRoutes.PathPattern("/" + new string('a', 127)));
        Assert.Contains("129 characters", ListenerRoutes.PathPattern("/" + new string('a', 128))!.Value.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api.example.com")]
    [InlineData("*.example.com")]
    [InlineData("API.Example.COM")]
    [InlineData("app-1.ex_ample.org")]
    public void Host_names_AWS_allows_pass(string host) => Assert.Null(ListenerRoutes.HostHeader(host));

    [Theory]
    [InlineData("localhost", "no dot")]
    [InlineData("api.example.com:443", "holds a port")]
    [InlineData("https://api.example.com", "without a scheme")]
    [InlineData("10.0.0.1", "only letters may follow the last dot")]
    [InlineData("example.*", "only letters may follow the last dot")]
    public void Host_names_AWS_refuses_fail(string host, string expected)
    {
        var found = ListenerRoutes.HostHeader(host);
        Assert.NotNull(found);
        Assert.Contains(expected, found.Value.Problem + " " + found.Value.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_priority_depends_on_the_name_alone_and_is_in_range()
    {
        var names = Enumerable.Range(0, 500).Select(i => $"service-{i}").ToList();
        var priorities = names.Select(ListenerRoutes.DefaultPriority).ToList();

        Assert.All(priorities, p => Assert.InRange(p, 1, 50000));
        Assert.Equal(priorities, names.Select(ListenerRoutes.DefaultPriority));
        // Pinned (FNV-1a 32-bit, modulo 50000, plus 1; computed independently): a change would renumber every deployed rule.
        Assert.Equal(14568, ListenerRoutes.DefaultPriority("api"));
        Assert.Equal(27826, ListenerRoutes.DefaultPriority("web"));
        Assert.Equal(9821, ListenerRoutes.DefaultPriority("orders"));
    }

    [Theory]
    [InlineData("/api/*", "/api/v1/*", true)]
    [InlineData("/api/*", "/api/users", true)]
    [InlineData("/api/*", "/apiv2", false)]
    [InlineData("/api/v1/*", "/api/*", false)]
    [InlineData("/*/admin", "/x/admin", true)]
    [InlineData("/*/admin", "/x/*", false)]
    [InlineData("/API/*", "/api/x", false)]
    public void A_path_pattern_covers_what_its_glob_matches(string general, string specific, bool covers) =>
        Assert.Equal(covers, ListenerRoutes.PatternCovers(general, specific, ignoreCase: false));

    [Fact]
    public void Host_names_compare_without_case()
    {
        Assert.True(ListenerRoutes.PatternCovers("*.example.com", "API.example.com", ignoreCase: true));
        Assert.True(ListenerRoutes.PatternCovers("Api.Example.com", "api.example.com", ignoreCase: true));
    }

    [Fact]
    public void A_route_inside_an_earlier_one_is_unreachable_and_the_fix_names_the_priority_to_give()
    {
        var routes = new[]
        {
            new RoutedService("api", [], ["/api/*"], 10),
            new RoutedService("admin", [], ["/api/admin/*"], 20),
            new RoutedService("images", ["img.example.com"], [], 30),
            new RoutedService("thumbs", ["img.example.com"], ["/thumbs/*"], 5),
        };

        var conflicts = ListenerRoutes.Conflicts(routes).ToList();

        var (service, problem, fix) = Assert.Single(conflicts);
        Assert.Equal("admin", service);
        Assert.Contains("inside api's", problem, StringComparison.Ordinal);
        Assert.Contains("Priority below 10", fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_priorities_equal_routes_and_too_many_values_are_reported()
    {
        var routes = new[]
        {
            new RoutedService("a", [], ["/x/*"], 7),
            new RoutedService("b", [], ["/y/*"], 7),
            new RoutedService("c", [], ["/x/*"], 8),
            new RoutedService("d", ["a.example.com", "b.example.com"], ["/1", "/2", "/3", "/4"], 9),
        };

        var conflicts = ListenerRoutes.Conflicts(routes).ToList();

        Assert.Contains(conflicts, c => c.Service == "b" && c.Problem.Contains("priority 7, as a's does", StringComparison.Ordinal) && c.Fix.Contains("a free one: 6", StringComparison.Ordinal));
        Assert.Contains(conflicts, c => c.Service == "c" && c.Problem.Contains("the same as a's", StringComparison.Ordinal));
        Assert.Contains(conflicts, c => c.Service == "d" && c.Problem.Contains("at most 3 per condition", StringComparison.Ordinal));
    }

    [Fact]
    public void A_load_balancer_holds_at_most_100_rules()
    {
        var routes = Enumerable.Range(0, 101).Select(i => new RoutedService($"s{i}", [], [$"/s{i}/*"], i + 1)).ToList();

        Assert.Contains(ListenerRoutes.Conflicts(routes), c => c.Problem.Contains("101 listener rules", StringComparison.Ordinal));
        Assert.DoesNotContain(ListenerRoutes.Conflicts(routes.Take(100).ToList()), c => c.Problem.Contains("listener rules", StringComparison.Ordinal));
    }
}
