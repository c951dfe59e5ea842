using System.Text;
using Shouldly;
using Switchboard.Execution;
using Switchboard.Providers.Gemini;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Gemini;

public sealed class GeminiErrorTests
{
    // Bodies as Google sends them (troubleshooting guide's table, and errors seen from the API).
    public static TheoryData<int, string, ErrorCategory> DocumentedErrors => new()
    {
        { 400, """{"error":{"code":400,"message":"Request contains an invalid argument.","status":"INVALID_ARGUMENT"}}""", ErrorCategory.BadRequest },
        { 400, """{"error":{"code":400,"message":"* GenerateContentRequest.contents: contents is not specified\n","status":"INVALID_ARGUMENT"}}""", ErrorCategory.BadRequest },
        { 400, """{"error":{"code":400,"message":"User location is not supported for the API use without a billing account linked.","status":"FAILED_PRECONDITION"}}""", ErrorCategory.BadRequest },
        { 400, """{"error":{"code":400,"message":"The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}""", ErrorCategory.ContextWindowExceeded },
        { 400, Encoding.UTF8.GetString(FakeGeminiUpstream.ApiKeyInvalidBody()), ErrorCategory.Authentication },
        { 400, """{"error":{"code":400,"message":"API Key not found. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}""", ErrorCategory.Authentication },
        { 401, """{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}""", ErrorCategory.Authentication },
        { 403, """{"error":{"code":403,"message":"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.","status":"PERMISSION_DENIED"}}""", ErrorCategory.Authentication },
        { 403, """{"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED"}}""", ErrorCategory.Authentication },
        { 404, """{"error":{"code":404,"message":"models/gemini-9 is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.","status":"NOT_FOUND"}}""", ErrorCategory.NotFound },
        { 429, """{"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"26s"}]}}""", ErrorCategory.RateLimited },
        { 429, """{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}""", ErrorCategory.RateLimited },
        { 500, """{"error":{"code":500,"message":"An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting","status":"INTERNAL"}}""", ErrorCategory.Unavailable },
        { 503, """{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}""", ErrorCategory.Unavailable },
        { 504, """{"error":{"code":504,"message":"Deadline expired before operation could complete.","status":"DEADLINE_EXCEEDED"}}""", ErrorCategory.Timeout },
        { 502, "<html><body>Bad Gateway</body></html>", ErrorCategory.Unavailable },
        { 400, "", ErrorCategory.BadRequest },
    };

    [Theory]
    [MemberData(nameof(DocumentedErrors))]
    public void Each_documented_error_is_classified(int status, string body, ErrorCategory category)
    {
        GeminiAdapter.Instance.Classify(status, Encoding.UTF8.GetBytes(body)).ShouldBe(category);
    }

    [Theory]
    [InlineData(400, ErrorCategory.BadRequest)]
    [InlineData(401, ErrorCategory.Authentication)]
    [InlineData(403, ErrorCategory.Authentication)]
    [InlineData(404, ErrorCategory.NotFound)]
    [InlineData(429, ErrorCategory.RateLimited)]
    [InlineData(500, ErrorCategory.Unavailable)]
    [InlineData(503, ErrorCategory.Unavailable)]
    [InlineData(504, ErrorCategory.Timeout)]
    public async Task The_fakes_error_for_each_status_is_classified_and_keeps_googles_message(int status, ErrorCategory category)
    {
        await using var fake = await FakeGeminiUpstream.StartAsync();
        using var runtime = TestRuntime.Create($"providers:\n  google:\n    base_url: {fake.BaseUrl}\n", new Dictionary<string, string?> { ["GEMINI_API_KEY"] = "AIza-k" });
        fake.Enqueue(UpstreamFault.Status(status, retryAfter: status == 429 ? TimeSpan.FromSeconds(7) : null));
        var target = runtime.Resolver.Resolve("google/gemini-2.5-flash");

        using var result = await runtime.Executor.SendAsync(target, """{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}"""u8.ToArray(), stream: false, CancellationToken.None);
        var error = await UpstreamErrors.ReadAsync(result, CancellationToken.None);

        error.Category.ShouldBe(category);
        error.StatusCode.ShouldBe(status);
        error.Provider.ShouldBe("google");
        error.Message.ShouldNotBeNullOrWhiteSpace();
        error.Message.ShouldNotStartWith("{");
        if (status == 429)
        {
            error.Message.ShouldBe(FakeGeminiUpstream.RateLimitMessage);
            error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
        }
        if (status == 503) error.Message.ShouldBe(FakeGeminiUpstream.OverloadedMessage);
    }

    [Fact]
    public async Task A_prompt_over_the_context_window_is_classified_apart_from_other_bad_requests()
    {
        await using var fake = await FakeGeminiUpstream.StartAsync();
        using var runtime = TestRuntime.Create($"providers:\n  google:\n    base_url: {fake.BaseUrl}\n", new Dictionary<string, string?> { ["GEMINI_API_KEY"] = "AIza-k" });
        fake.Enqueue(UpstreamFault.ContextLengthExceeded());

        using var result = await runtime.Executor.SendAsync(runtime.Resolver.Resolve("google/gemini-2.5-flash"), """{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}"""u8.ToArray(), stream: false, CancellationToken.None);
        var error = await UpstreamErrors.ReadAsync(result, CancellationToken.None);

        error.Category.ShouldBe(ErrorCategory.ContextWindowExceeded);
        error.Message.ShouldBe(FakeGeminiUpstream.ContextWindowMessage);
    }

    [Fact]
    public async Task A_key_google_does_not_know_is_an_authentication_error_with_its_message()
    {
        await using var fake = await FakeGeminiUpstream.StartAsync();
        using var runtime = TestRuntime.Create($"providers:\n  google:\n    base_url: {fake.BaseUrl}\n", new Dictionary<string, string?> { ["GEMINI_API_KEY"] = FakeGeminiUpstream.InvalidApiKey });

        using var result = await runtime.Executor.SendAsync(runtime.Resolver.Resolve("google/gemini-2.5-flash"), """{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}"""u8.ToArray(), stream: false, CancellationToken.None);
        var error = await UpstreamErrors.ReadAsync(result, CancellationToken.None);

        error.Category.ShouldBe(ErrorCategory.Authentication);
        error.StatusCode.ShouldBe(400);
        error.Message.ShouldBe(FakeGeminiUpstream.ApiKeyInvalidMessage);
        error.Message.ShouldNotContain(FakeGeminiUpstream.InvalidApiKey);
    }
}
