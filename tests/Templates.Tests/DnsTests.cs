using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Templates.Generation;
using Templates.Rules;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.Tests;

/// <summary>An environment's DNS name (an alias record to the load balancer) and the certificate ACM issues for it.</summary>
public class DnsTests
{
    static readonly DnsName Shop = new() { Name = "shop.example.com", HostedZoneId = "Z0123456789ABCDEFGHIJ" };

    static App WithDns(Certificate? certificate = null, DnsName? dns = null) =>
        Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), Dns = dns ?? Shop, Certificate = certificate });

    [Fact]
    public void Dns_adds_parameters_with_the_definitions_values_as_defaults()
    {
        var view = Fixtures.View(WithDns(), "dev");
        var domain = view.Parameters[Ids.DomainNameParameter]!;
        Assert.Equal("String", (string?)domain["Type"]);
        Assert.Equal("shop.example.com", (string?)domain["Default"]);
        Assert.Matches((string)domain["AllowedPattern"]!, "shop.example.com");
        Assert.DoesNotMatch((string)domain["AllowedPattern"]!, "shop.example.com.");
        var zone = view.Parameters[Ids.HostedZoneIdParameter]!;
        Assert.Equal("AWS::Route53::HostedZone::Id", (string?)zone["Type"]);
        Assert.Equal("Z0123456789ABCDEFGHIJ", (string?)zone["Default"]);
        Assert.Equal([Ids.ImageTagParameter, Ids.CertificateArnParameter, Ids.DomainNameParameter, Ids.HostedZoneIdParameter], view.Parameters.Select(p => p.Key));
    }

    [Fact]
    public void Dns_adds_an_alias_record_to_the_load_balancer_and_the_url_uses_the_name()
    {
        var view = Fixtures.View(WithDns(), "dev");
        var record = view.Properties(Ids.DnsRecord);
        Assert.Equal("AWS::Route53::RecordSet", (string?)view.Resource(Ids.DnsRecord)["Type"]);
        Assert.Equal(Ids.HostedZoneIdParameter, (string?)record["HostedZoneId"]!["Ref"]);
        Assert.Equal(Ids.DomainNameParameter, (string?)record["Name"]!["Ref"]);
        Assert.Equal("A", (string?)record["Type"]);
        Assert.Null(record["TTL"]);
        var alias = record["AliasTarget"]!;
        Assert.Equal("""{"Fn::GetAtt":["LoadBalancer","DNSName"]}""", alias["DNSName"]!.ToJsonString());
        Assert.Equal("""{"Fn::GetAtt":["LoadBalancer","CanonicalHostedZoneID"]}""", alias["HostedZoneId"]!.ToJsonString());
        Assert.True((bool)alias["EvaluateTargetHealth"]!);
        Assert.Equal("https://${DomainName}", (string?)view.Outputs[Ids.ServiceUrlOutput]!["Value"]!["Fn::Sub"]);
        Assert.Contains(Ids.LoadBalancerDnsNameOutput, view.Outputs.Select(o => o.Key));
    }

    [Fact]
    public void Dns_with_an_existing_certificate_requests_none()
    {
        var view = Fixtures.View(WithDns(), "dev");
        Assert.Empty(view.OfType("AWS::CertificateManager::Certificate"));
        Assert.Null(view.Json["Conditions"]);
        Assert.Equal("arn:aws:acm:eu-west-1:123456789012:certificate/abc-123", (string?)view.Parameters[Ids.CertificateArnParameter]!["Default"]);
        Assert.Equal(Ids.CertificateArnParameter, (string?)view.Properties(Ids.HttpsListener)["Certificates"]![0]!["CertificateArn"]!["Ref"]);
        Assert.Empty(Fixtures.Findings(WithDns()));
        // An IAM certificate with a DNS name draws only its usual TPL0015.
        Assert.Equal(["TPL0015"], Fixtures.Findings(WithDns(new IamServerCertificate("arn:aws:iam::123456789012:server-certificate/x"))).Select(f => f.Rule.Id));
    }

    [Fact]
    public void A_requested_certificate_is_created_only_when_no_arn_is_passed()
    {
        var view = Fixtures.View(WithDns(new RequestedCertificate()), "dev");

        var parameter = view.Parameters[Ids.CertificateArnParameter]!;
        Assert.Equal("", (string?)parameter["Default"]);
        var pattern = new Regex((string)parameter["AllowedPattern"]!);
        Assert.Matches(pattern, "");
        Assert.Matches(pattern, "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123");
        Assert.Matches(pattern, "arn:aws:iam::123456789012:server-certificate/x");
        Assert.DoesNotMatch(pattern, "not-an-arn");

        Assert.Equal("""{"RequestCertificate":{"Fn::Equals":[{"Ref":"CertificateArn"},""]}}""", view.Json["Conditions"]!.ToJsonString());

        var certificate = view.Resource(Ids.Certificate);
        Assert.Equal("AWS::CertificateManager::Certificate", (string?)certificate["Type"]);
        Assert.Equal(Ids.RequestCertificateCondition, (string?)certificate["Condition"]);
        var properties = view.Properties(Ids.Certificate);
        Assert.Equal(Ids.DomainNameParameter, (string?)properties["DomainName"]!["Ref"]);
        Assert.Equal("DNS", (string?)properties["ValidationMethod"]);
        Assert.Equal("""[{"DomainName":{"Ref":"DomainName"},"HostedZoneId":{"Ref":"HostedZoneId"}}]""", properties["DomainValidationOptions"]!.ToJsonString());

        Assert.Equal("""{"Fn::If":["RequestCertificate",{"Ref":"Certificate"},{"Ref":"CertificateArn"}]}""",
            view.Properties(Ids.HttpsListener)["Certificates"]![0]!["CertificateArn"]!.ToJsonString());
        // Nothing else depends on the conditional certificate, and no resource carries a cfn-lint suppression.
        // No cfn-lint suppression anywhere (Metadata may hold only recorded trade-offs).
        Assert.All(view.Resources, r => Assert.Null(r.Value!["Metadata"]?["cfn-lint"]));
    }

    [Fact]
    public void Requested_on_the_app_serves_every_environment_with_dns()
    {
        var app = Fixtures.Minimal(
            new Env("dev") { Tasks = new TaskCount(1, 2), Dns = Shop with { Name = "dev.shop.example.com" } },
            new Env("prod") { Tasks = new TaskCount(2, 4), Dns = Shop, Service = new ServiceOverrides { ImageTag = "1.0.0" }, WebAcl = new WebAcl() });
        app = app with { LoadBalancer = app.LoadBalancer with { Certificate = new RequestedCertificate() } };
        Assert.Empty(Fixtures.Findings(app));
        Assert.Equal("dev.shop.example.com", (string?)Fixtures.View(app, "dev").Parameters[Ids.DomainNameParameter]!["Default"]);
        Assert.Equal("shop.example.com", (string?)Fixtures.View(app, "prod").Parameters[Ids.DomainNameParameter]!["Default"]);
    }

    [Fact]
    public void Without_dns_a_template_is_byte_identical_to_before()
    {
        // The other environments of an app are untouched when one environment gets a DNS name (the snapshots pin the guide's).
        var plain = Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2) }, new Env("qa") { Tasks = new TaskCount(1, 2) });
        var oneWithDns = plain with { Environments = [plain.Environments[0], plain.Environments[1] with { Dns = Shop, Certificate = new RequestedCertificate() }] };
        Assert.Equal(Fixtures.Emit(plain, "dev").Bytes, Fixtures.Emit(oneWithDns, "dev").Bytes);
        Assert.NotEqual(Fixtures.Emit(plain, "qa").Bytes, Fixtures.Emit(oneWithDns, "qa").Bytes);

        var view = Fixtures.View(plain, "dev");
        Assert.Null(view.Json["Conditions"]);
        Assert.DoesNotContain(Ids.DomainNameParameter, view.Parameters.Select(p => p.Key));
        Assert.DoesNotContain(Ids.HostedZoneIdParameter, view.Parameters.Select(p => p.Key));
        Assert.Empty(view.OfType("AWS::Route53::RecordSet"));
        Assert.Equal("https://${LoadBalancer.DNSName}", (string?)view.Outputs[Ids.ServiceUrlOutput]!["Value"]!["Fn::Sub"]);
    }

    [Fact]
    public void The_guides_prod_requests_its_certificate_for_its_name_and_the_other_environments_have_no_dns()
    {
        var result = Emitter.Generate([Fixtures.Guide]);
        foreach (var template in result.Templates)
        {
            var view = new TemplateView(template.Json);
            var isProd = template.Model.Env.Name == "prod";
            Assert.Equal(isProd ? 1 : 0, view.OfType("AWS::Route53::RecordSet").Count());
            Assert.Equal(isProd ? 1 : 0, view.OfType("AWS::CertificateManager::Certificate").Count());
        }
        var prod = Fixtures.View(Fixtures.Guide, "prod");
        Assert.Equal("flask.example.com", (string?)prod.Parameters[Ids.DomainNameParameter]!["Default"]);
        Assert.Equal("Z0123456789ABCDEFGHIJ", (string?)prod.Parameters[Ids.HostedZoneIdParameter]!["Default"]);
    }

    [Theory]
    [InlineData("flask.example.com", true)]
    [InlineData("dev.flask.example.com", true)]
    [InlineData("xn--bcher-kva.example", true)]
    [InlineData("Flask.Example.COM", true)]
    [InlineData("localhost", false)]
    [InlineData("flask.example.com.", false)]
    [InlineData("*.example.com", false)]
    [InlineData("https://flask.example.com", false)]
    [InlineData("flask.example.com:443", false)]
    [InlineData("-flask.example.com", false)]
    [InlineData("flask_app.example.com", false)]
    [InlineData("", false)]
    public void Dns_name(string name, bool valid)
    {
        var v = Checks.DnsName(name);
        Assert.Equal(valid, v is null);
        if (v is not null) Assert.Same(RuleCatalog.TPL0034_DnsSettings, v.Rule);
    }

    [Fact]
    public void Dns_name_fixes_name_what_to_write()
    {
        Assert.Equal("Write the name without the trailing dot: flask.example.com.", Checks.DnsName("flask.example.com.")!.Fix);
        Assert.Contains("wildcard", Checks.DnsName("*.example.com")!.Fix);
        Assert.Equal("'flask' is not a DNS host name that Route 53 and ACM accept.", Checks.DnsName("flask")!.Message);
    }

    [Theory]
    [InlineData("Z0123456789ABCDEFGHIJ", true)]
    [InlineData("Z1", true)]
    [InlineData("ZABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", false)]
    [InlineData("z0123456789", false)]
    [InlineData("A0123456789", false)]
    [InlineData("/hostedzone/Z0123456789", false)]
    [InlineData("", false)]
    public void Hosted_zone_id(string id, bool valid)
    {
        var v = Checks.HostedZoneId(id);
        Assert.Equal(valid, v is null);
        if (v is not null) Assert.Same(RuleCatalog.TPL0034_DnsSettings, v.Rule);
    }

    [Fact]
    public void A_hosted_zone_id_with_its_prefix_is_fixed_by_dropping_it()
    {
        Assert.Equal("Drop the '/hostedzone/' prefix: Z0123456789.", Checks.HostedZoneId("/hostedzone/Z0123456789")!.Fix);
    }

    [Fact]
    public void Bad_dns_settings_are_reported_on_the_environments_setting()
    {
        var findings = Fixtures.Findings(WithDns(dns: new DnsName { Name = "shop.example.com.", HostedZoneId = "/hostedzone/Z0123" }));
        Assert.Equal(
            [("TPL0034", "Environments[dev].Dns.Name"), ("TPL0034", "Environments[dev].Dns.HostedZoneId")],
            findings.Select(f => (f.Rule.Id, f.Setting)));
        Assert.All(findings, f => Assert.Equal(["dev"], f.Environments));
        Assert.All(findings, f => Assert.Equal(Severity.Error, f.Severity));
        Assert.Equal("Drop the '/hostedzone/' prefix: Z0123.", findings[1].Fix);
        Assert.True(Emitter.Generate([WithDns(dns: new DnsName { Name = "shop", HostedZoneId = "Z1" })]).HasErrors);
    }

    [Fact]
    public void A_requested_certificate_needs_dns_where_it_is_declared()
    {
        var onEnv = Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), Certificate = new RequestedCertificate() });
        var finding = Assert.Single(Fixtures.Findings(onEnv));
        Assert.Equal(("TPL0035", "Environments[dev].Certificate", Severity.Error), (finding.Rule.Id, finding.Setting, finding.Severity));
        Assert.Contains("Dns = new DnsName", finding.Fix);

        // On the app, it is reported once for every environment without a DNS name, and never as a malformed ARN (TPL0013).
        var app = Fixtures.Minimal(
            new Env("dev") { Tasks = new TaskCount(1, 2) },
            new Env("qa") { Tasks = new TaskCount(1, 2) },
            new Env("staging") { Tasks = new TaskCount(1, 2), Dns = Shop });
        app = app with { LoadBalancer = app.LoadBalancer with { Certificate = new RequestedCertificate() } };
        finding = Assert.Single(Fixtures.Findings(app));
        Assert.Equal(("TPL0035", "LoadBalancer.Certificate"), (finding.Rule.Id, finding.Setting));
        Assert.Equal(["dev", "qa"], finding.Environments);
        Assert.True(Emitter.Generate([app]).HasErrors);
        Assert.Empty(Emitter.Generate([app]).Templates);
    }

    [Fact]
    public void A_requested_certificate_has_no_arn()
    {
        Assert.Equal("", new RequestedCertificate().Arn);
        Assert.IsAssignableFrom<Certificate>(new RequestedCertificate());
    }
}
