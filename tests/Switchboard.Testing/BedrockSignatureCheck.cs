using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Testing;

/// <summary>
/// Checks a request's AWS Signature Version 4 the way Bedrock does: rebuilds the canonical request from what arrived,
/// derives the signing key from the fake's secret, and compares signatures. Written apart from the gateway's signer,
/// so that the two only agree when both follow the specification.
/// </summary>
internal static class BedrockSignatureCheck
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Null when the signature is good; otherwise the AWS error type and message a real Bedrock would answer 403 with.</summary>
    public static (string Type, string Message)? Verify(RecordedRequest request, string accessKeyId, string secretAccessKey, string? sessionToken, string region, string service)
    {
        if (!request.Headers.TryGetValue("authorization", out var authorization) || !authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return ("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        var fields = authorization[(Algorithm.Length + 1)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(field => field.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders) || !fields.TryGetValue("Signature", out var signature))
        {
            return ("IncompleteSignatureException", $"Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization={authorization}");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return ("IncompleteSignatureException", $"Credential should be scoped to a valid region. ({credential})");
        }

        if (scope[0] != accessKeyId)
        {
            return ("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (request.Headers.TryGetValue("x-amz-security-token", out var token) && token != sessionToken)
        {
            return ("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (!request.Headers.TryGetValue("x-amz-date", out var amzDate)
            || !DateTime.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return ("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if (scope[1] != amzDate[..8] || scope[2] != region || scope[3] != service)
        {
            return ("InvalidSignatureException", $"Credential should be scoped to correct service and region: '{scope[1]}/{scope[2]}/{scope[3]}', expected '{amzDate[..8]}/{region}/{service}'.");
        }

        var names = signedHeaders.Split(';');
        if (!names.Contains("host") || !names.Contains("x-amz-date") || (token is not null && !names.Contains("x-amz-security-token")))
        {
            return ("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }

        var canonicalHeaders = new StringBuilder();
        foreach (var name in names)
        {
            if (!request.Headers.TryGetValue(name, out var value))
            {
                return ("InvalidSignatureException", $"The request signature we calculated does not match the signature you provided: signed header '{name}' is missing.");
            }

            canonicalHeaders.Append(name).Append(':').Append(string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries))).Append('\n');
        }

        var canonicalRequest = string.Join(
            '\n',
            request.Method,
            CanonicalPath(request.Path),
            CanonicalQuery(request.Query),
            canonicalHeaders.ToString(),
            signedHeaders,
            Hex(SHA256.HashData(request.Body)));
        var stringToSign = string.Join('\n', Algorithm, amzDate, string.Join('/', scope[1..]), Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), scope[1]);
        key = Hmac(key, scope[2]);
        key = Hmac(key, scope[3]);
        key = Hmac(key, "aws4_request");
        var expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        if (expected == signature)
        {
            return null;
        }

        // AWS's own wording, with the canonical request and string to sign it lists so a mismatch can be debugged.
        return ("InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n"
            + $"The Canonical String for this request should have been\n'{canonicalRequest}'\n\nThe String-to-Sign should have been\n'{stringToSign}'\n");
    }

    /// <summary>
    /// The canonical URI of a path as Kestrel gives it (decoded, except that <c>%2F</c> stays encoded): each segment is put
    /// back into its wire form, then encoded once more, as Bedrock (like every service but S3) signs paths.
    /// </summary>
    private static string CanonicalPath(string path)
    {
        var segments = path.Split('/').Select(segment => Encode(Encode(Uri.UnescapeDataString(segment))));
        var canonical = string.Join('/', segments);
        return canonical.StartsWith('/') ? canonical : "/" + canonical;
    }

    private static string CanonicalQuery(string query)
    {
        var pairs = query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (Name: Encode(Uri.UnescapeDataString(pair[0])), Value: pair.Length > 1 ? Encode(Uri.UnescapeDataString(pair[1])) : ""))
            .OrderBy(pair => pair.Name, StringComparer.Ordinal)
            .ThenBy(pair => pair.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(pair => pair.Name + "=" + pair.Value));
    }

    /// <summary>RFC 3986 encoding of everything but the unreserved characters, upper-case hex, as SigV4 wants it.</summary>
    private static string Encode(string value)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                encoded.Append(c);
            }
            else
            {
                encoded.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return encoded.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
