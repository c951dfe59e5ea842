using Shouldly;
using Switchboard.Storage;
using Xunit;

namespace Switchboard.Cli.Tests;

public sealed class KeysCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Keys_create_prints_the_key_once_into_the_configured_store_and_list_shows_it_without_the_key()
    {
        _cli.WriteFile("switchboard.yaml", "storage: sqlite:data/keys.db\n");
        Directory.CreateDirectory(Path.Combine(_cli.WorkingDirectory, "data"));

        var created = await _cli.RunAsync("keys", "create", "--name", "search", "--model", "gpt-4.1", "--model", "gpt-4o-mini", "--rpm", "60", "--budget", "12.5", "--period", "day", "--meta", "owner=ana");

        created.ExitCode.ShouldBe(0, created.ToString());
        var key = created.Output.Trim();
        key.ShouldStartWith("sk-sb-");
        created.Errors.ShouldContain("shown once");
        await using (var store = await SwitchboardStore.OpenAsync("sqlite:" + Path.Combine(_cli.WorkingDirectory, "data", "keys.db"), TimeProvider.System))
        {
            var found = (await store.FindKeyAsync(key)).ShouldNotBeNull();
            found.Name.ShouldBe("search");
            found.AllowedModels.ShouldBe(["gpt-4.1", "gpt-4o-mini"]);
            found.RequestsPerMinute.ShouldBe(60);
            found.BudgetUsd.ShouldBe(12.5m);
            found.BudgetPeriod.ShouldBe(BudgetPeriod.Day);
            found.Metadata["owner"].ShouldBe("ana");
        }

        var list = await _cli.RunAsync("keys", "list");

        list.ExitCode.ShouldBe(0, list.ToString());
        list.Output.ShouldContain("search");
        list.Output.ShouldContain("$12.50/day");
        list.Output.ShouldContain("active");
        list.Output.ShouldContain(key[^4..]);
        list.All.ShouldNotContain(key);
    }

    [Fact]
    public async Task Keys_revoke_marks_the_key_revoked_and_an_unknown_id_is_a_usage_error()
    {
        _cli.Variables["SWITCHBOARD_DATABASE_URL"] = "sqlite:env.db";
        var created = await _cli.RunAsync("keys", "create", "--name", "ci");
        await using var store = await SwitchboardStore.OpenAsync("sqlite:" + Path.Combine(_cli.WorkingDirectory, "env.db"), TimeProvider.System);
        var id = (await store.FindKeyAsync(created.Output.Trim())).ShouldNotBeNull().Id;

        var revoked = await _cli.RunAsync("keys", "revoke", id);

        revoked.ExitCode.ShouldBe(0, revoked.ToString());
        (await store.GetKeyAsync(id)).ShouldNotBeNull().Revoked.ShouldNotBeNull();
        (await _cli.RunAsync("keys", "list")).Output.ShouldContain("revoked");
        var unknown = await _cli.RunAsync("keys", "revoke", "vk_nothing");
        unknown.ExitCode.ShouldBe(2, unknown.ToString());
        unknown.Errors.ShouldContain("no virtual key with id vk_nothing");
    }

    [Fact]
    public async Task Keys_without_a_store_is_a_config_error_saying_to_set_storage()
    {
        _cli.WriteFile("switchboard.yaml", "storage: none\n");

        var result = await _cli.RunAsync("keys", "list");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Errors.ShouldContain("SWITCHBOARD_DATABASE_URL");
    }

    [Fact]
    public async Task Keys_create_with_a_negative_limit_is_a_usage_error_naming_the_option()
    {
        var result = await _cli.RunAsync("keys", "create", "--rpm", "-5");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.All.ShouldContain("--rpm");
    }
}
