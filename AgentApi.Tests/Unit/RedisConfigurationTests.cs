using System.Net;
using AgentApi.Core.Configuration;
using AgentApi.Infrastructure.Caching;
using StackExchange.Redis;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class RedisConfigurationTests
{
    private const string Variable = "REDIS_URL";

    [Test]
    public void Parse_RedisUrlWithUserPasswordAndDatabase_SetsThemAll()
    {
        var options = RedisConfiguration.Parse("redis://app:p%40ss@cache.internal:6380/2", Variable);

        Assert.Multiple(() =>
        {
            Assert.That(options.EndPoints.Single(), Is.EqualTo(new DnsEndPoint("cache.internal", 6380)));
            Assert.That(options.User, Is.EqualTo("app"));
            Assert.That(options.Password, Is.EqualTo("p@ss"));
            Assert.That(options.DefaultDatabase, Is.EqualTo(2));
            Assert.That(options.Ssl, Is.False);
        });
    }

    [Test]
    public void Parse_RedissUrlWithPasswordOnly_UsesTlsDefaultPortAndNoUser()
    {
        var options = RedisConfiguration.Parse("rediss://:secret@10.0.0.5", Variable);

        Assert.Multiple(() =>
        {
            Assert.That(options.EndPoints.Single(), Is.EqualTo(new IPEndPoint(IPAddress.Parse("10.0.0.5"), 6379)));
            Assert.That(options.Ssl, Is.True);
            Assert.That(options.User, Is.Null);
            Assert.That(options.Password, Is.EqualTo("secret"));
        });
    }

    [Test]
    public void Parse_StackExchangeString_KeepsItsSettingsAndAddsFailFastDefaults()
    {
        var options = RedisConfiguration.Parse("127.0.0.1:6379,password=secret,ssl=true,syncTimeout=2000", Variable);

        Assert.Multiple(() =>
        {
            Assert.That(options.EndPoints.Single(), Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 6379)));
            Assert.That(options.Password, Is.EqualTo("secret"));
            Assert.That(options.Ssl, Is.True);
            Assert.That(options.SyncTimeout, Is.EqualTo(2000), "a setting written in the string wins");
            Assert.That(options.AsyncTimeout, Is.EqualTo(500));
            Assert.That(options.ConnectTimeout, Is.EqualTo(1000));
            Assert.That(options.AbortOnConnectFail, Is.False);
            Assert.That(options.BacklogPolicy, Is.SameAs(BacklogPolicy.FailFast));
        });
    }

    [TestCase("http://127.0.0.1:6379")]
    [TestCase("redis://")]
    [TestCase("redis://:hunter2@127.0.0.1:6379/zero")]
    [TestCase("redis://:hunter2@127.0.0.1:6379?ssl=true")]
    [TestCase("127.0.0.1:6379,hunter2=yes")]
    public void Parse_Invalid_ThrowsNamingTheVariableButNotTheValue(string value)
    {
        var exception = Assert.Throws<InvalidSettingException>(() => RedisConfiguration.Parse(value, Variable));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Setting, Is.EqualTo(Variable));
            Assert.That(exception.Message, Does.Not.Contain("hunter2"));
        });
    }

    [Test]
    public void DescribeEndpoints_UrlWithPassword_ShowsHostAndPortOnly() =>
        Assert.That(RedisConfiguration.DescribeEndpoints(RedisConfiguration.Parse("redis://:secret@cache:6379", Variable)), Is.EqualTo("cache:6379"));
}
