using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Providers.Bedrock;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Bedrock;

/// <summary>
/// Bedrock's errors: the type in the x-amzn-ErrorType header (folded into the body as __type by the adapter), the body
/// {"message": "..."} (bodies as Bedrock sent them, from github.com/vercel/ai's amazon-bedrock fixtures and AWS's
/// documented exceptions of the Converse operation).
/// </summary>
public sealed class BedrockErrorTests
{
    [Theory]
    [InlineData(400, "ValidationException", "1 validation error detected: Value at 'messages.2.member.content.1.member.toolUse.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+", ErrorCategory.BadRequest)]
    [InlineData(400, "ValidationException", "Input is too long for requested model.", ErrorCategory.ContextWindowExceeded)]
    [InlineData(400, "ValidationException", "prompt is too long: 215000 tokens > 200000 maximum", ErrorCategory.ContextWindowExceeded)]
    [InlineData(403, "AccessDeniedException", "You don't have access to the model with the specified model ID.", ErrorCategory.Authentication)]
    [InlineData(403, "UnrecognizedClientException", "The security token included in the request is invalid.", ErrorCategory.Authentication)]
    [InlineData(403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.", ErrorCategory.Authentication)]
    [InlineData(400, "ExpiredTokenException", "The security token included in the request is expired", ErrorCategory.Authentication)]
    [InlineData(404, "ResourceNotFoundException", "Model not found.", ErrorCategory.NotFound)]
    [InlineData(429, "ThrottlingException", "Too many requests, please wait before trying again.", ErrorCategory.RateLimited)]
    [InlineData(408, "ModelTimeoutException", "Model has timed out in processing the request. Try your request again.", ErrorCategory.Timeout)]
    [InlineData(503, "ServiceUnavailableException", "The service isn't currently available. Try again later.", ErrorCategory.Unavailable)]
    [InlineData(500, "InternalServerException", "The system encountered an unexpected error during processing. Try your request again.", ErrorCategory.Unavailable)]
    [InlineData(429, "ModelNotReadyException", "Model is not ready for inference. Wait and try your request again.", ErrorCategory.Unavailable)]
    [InlineData(424, "ModelErrorException", "The model returned the following errors: overloaded", ErrorCategory.Unavailable)]
    public void Each_error_type_is_classified_from_the_header_type(int status, string type, string message, ErrorCategory category)
    {
        var body = BedrockErrors.WithType(Json(message), type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");

        BedrockAdapter.Instance.Classify(status, body).ShouldBe(category);
    }

    [Fact]
    public void The_header_type_is_folded_into_the_body_and_the_message_kept()
    {
        var body = BedrockErrors.WithType("""{"message":"Too many requests, please wait before trying again."}"""u8,
            "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/");

        using var document = JsonDocument.Parse(body);
        document.RootElement.GetProperty("__type").GetString().ShouldBe("ThrottlingException");
        document.RootElement.GetProperty("message").GetString().ShouldBe("Too many requests, please wait before trying again.");
    }

    [Fact]
    public void A_body_type_wins_and_a_capitalized_message_is_read()
    {
        var body = BedrockErrors.WithType("""{"__type":"com.amazon.coral.service#UnrecognizedClientException","Message":"The security token included in the request is invalid."}"""u8, null);

        Encoding.UTF8.GetString(body).ShouldBe("""{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}""");
        BedrockAdapter.Instance.Classify(403, body).ShouldBe(ErrorCategory.Authentication);
    }

    [Fact]
    public void A_body_that_is_not_json_becomes_the_message()
    {
        var body = BedrockErrors.WithType("<html>Service Unavailable</html>"u8, "ServiceUnavailableException");

        Encoding.UTF8.GetString(body).ShouldBe("""{"__type":"ServiceUnavailableException","message":"<html>Service Unavailable</html>"}""");
    }

    [Fact]
    public void Without_a_type_the_body_is_left_as_it_came()
    {
        BedrockErrors.WithType("""{"message":"x"}"""u8, null).ShouldBe("""{"message":"x"}"""u8.ToArray());
    }

    [Theory]
    [InlineData(400, ErrorCategory.BadRequest)]
    [InlineData(401, ErrorCategory.Authentication)]
    [InlineData(403, ErrorCategory.Authentication)]
    [InlineData(404, ErrorCategory.NotFound)]
    [InlineData(408, ErrorCategory.Timeout)]
    [InlineData(424, ErrorCategory.Unavailable)]
    [InlineData(429, ErrorCategory.RateLimited)]
    [InlineData(500, ErrorCategory.Unavailable)]
    [InlineData(502, ErrorCategory.Unavailable)]
    [InlineData(503, ErrorCategory.Unavailable)]
    public void Without_a_type_the_status_decides(int status, ErrorCategory category)
    {
        BedrockAdapter.Instance.Classify(status, """{"message":"Something went wrong."}"""u8).ShouldBe(category);
    }

    [Fact]
    public void A_context_window_message_without_a_type_is_still_the_context_window()
    {
        BedrockAdapter.Instance.Classify(400, """{"message":"Input is too long for requested model."}"""u8).ShouldBe(ErrorCategory.ContextWindowExceeded);
    }

    [Theory]
    [InlineData("ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", "ThrottlingException")]
    [InlineData("com.amazon.coral.validate#ValidationException", "ValidationException")]
    [InlineData("AccessDeniedException", "AccessDeniedException")]
    [InlineData("", null)]
    public void Error_types_are_shortened_to_the_exception_name(string written, string? name) =>
        BedrockErrors.ShortType(written).ShouldBe(name);

    private static byte[] Json(string message) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["message"] = message });
}
