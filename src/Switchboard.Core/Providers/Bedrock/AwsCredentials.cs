namespace Switchboard.Providers.Bedrock;

/// <summary>An AWS access key pair and, for temporary credentials, the session token that goes with it.</summary>
/// <param name="AccessKeyId">The key id (<c>AWS_ACCESS_KEY_ID</c>), named in the signature's credential scope.</param>
/// <param name="SecretAccessKey">The secret (<c>AWS_SECRET_ACCESS_KEY</c>); it signs and is never sent.</param>
/// <param name="SessionToken">The STS session token (<c>AWS_SESSION_TOKEN</c>), sent and signed as <c>x-amz-security-token</c>; null for long-term keys.</param>
internal sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>Never shows the secret or the token, should the record end up in a log.</summary>
    public override string ToString() => $"AwsCredentials {{ AccessKeyId = {AccessKeyId} }}";
}
