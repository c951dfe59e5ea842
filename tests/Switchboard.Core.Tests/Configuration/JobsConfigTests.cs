using Shouldly;
using Switchboard.Configuration;
using Xunit;

namespace Switchboard.Core.Tests.Configuration;

public sealed class JobsConfigTests
{
    private static SwitchboardOptions Parse(string yaml) => ConfigLoader.Parse(yaml, "switchboard.yaml", _ => null);

    [Fact]
    public void The_jobs_section_is_read_as_written_and_defaults_otherwise()
    {
        var jobs = Parse("""
            jobs: { provider: openai, model_name: gpt-4o-mini, workers: 2, provider_concurrency: 1, lease: 30s, poll_interval: 250ms, max_attempts: 5, webhook_secret: env:HOOK_SECRET }
            """).Jobs;
        var defaults = Parse("").Jobs;

        jobs.Provider.ShouldBe("openai");
        jobs.ModelName.ShouldBe("gpt-4o-mini");
        jobs.Workers.ShouldBe(2);
        jobs.ProviderConcurrency.ShouldBe(1);
        jobs.Lease.ShouldBe(TimeSpan.FromSeconds(30));
        jobs.PollInterval.ShouldBe(TimeSpan.FromMilliseconds(250));
        jobs.MaxAttempts.ShouldBe(5);
        jobs.WebhookSecret!.Variable.ShouldBe("HOOK_SECRET");
        defaults.ShouldBe(new JobsOptions());
        defaults.Workers.ShouldBe(8);
        defaults.ProviderConcurrency.ShouldBe(4);
        defaults.Lease.ShouldBe(TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData("jobs: { wrokers: 2 }", "wrokers")]
    [InlineData("jobs: { workers: 0 }", "jobs.workers")]
    [InlineData("jobs: { lease: 500ms }", "jobs.lease must be at least 1s")]
    [InlineData("jobs: { max_attempts: many }", "jobs.max_attempts")]
    public void A_bad_jobs_key_is_an_error_that_names_it(string yaml, string message)
    {
        var error = Should.Throw<ConfigException>(() => Parse(yaml));

        error.Message.ShouldContain(message);
    }
}
