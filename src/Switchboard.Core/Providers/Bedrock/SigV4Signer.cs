using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Providers.Bedrock;

/// <summary>
/// Signs requests with AWS Signature Version 4 in the <c>Authorization</c> header: canonical request, string to
/// sign, signing key derived by HMAC-SHA256 from the secret, date, region and service, and the signature.
/// The time comes from a <see cref="TimeProvider"/>, so tests sign at AWS's published suite's instant.
/// </summary>
/// <remarks>
/// Paths are canonicalized the way every service but S3 expects: dot segments and empty segments removed, then
/// each segment URI-encoded again as it stands. A path that is already percent-encoded on the wire (Bedrock's
/// model ids, whose <c>:</c> travels as <c>%3A</c>) is therefore encoded twice in the canonical request (<c>%253A</c>),
/// which is what Bedrock computes on its side.
/// </remarks>
internal sealed class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    private readonly TimeProvider _time;

    public SigV4Signer(TimeProvider time) => _time = time;

    /// <summary>
    /// Signs one request. <paramref name="headers"/> are those sent that should be signed (at least <c>host</c>);
    /// the signer adds <c>x-amz-date</c>, <c>x-amz-security-token</c> when the credentials carry one, and
    /// <c>x-amz-content-sha256</c> when <paramref name="signPayloadHeader"/> says the service wants it (S3 does, Bedrock does not).
    /// The caller sends those same headers with the values the result gives.
    /// </summary>
    /// <param name="path">The path as it goes on the wire (already percent-encoded where it must be).</param>
    /// <param name="query">The query string, with or without its leading <c>?</c>; empty for none.</param>
    public SigV4Signature Sign(string method, string path, string query, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> payload,
        AwsCredentials credentials, string region, string service, bool signPayloadHeader = false)
    {
        var amzDate = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(payload));

        var signed = new List<KeyValuePair<string, string>>(headers.Count + 3);
        signed.AddRange(headers);
        signed.Add(new("x-amz-date", amzDate));
        if (signPayloadHeader) signed.Add(new("x-amz-content-sha256", payloadHash));
        if (!string.IsNullOrEmpty(credentials.SessionToken)) signed.Add(new("x-amz-security-token", credentials.SessionToken));
        var (canonicalHeaders, signedHeaders) = CanonicalHeaders(signed);

        var canonicalRequest = string.Join('\n', method.ToUpperInvariant(), CanonicalUri(path), CanonicalQuery(query), canonicalHeaders, signedHeaders, payloadHash);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n', Algorithm, amzDate, scope, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(SigningKey(credentials.SecretAccessKey, date, region, service), Encoding.UTF8.GetBytes(stringToSign)));
        var authorization = $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new SigV4Signature(amzDate, authorization, payloadHash, signedHeaders, canonicalRequest, stringToSign, signature);
    }

    /// <summary>Task 3's key: HMAC chained over the date, region, service and <c>aws4_request</c>, starting from <c>AWS4</c> + secret.</summary>
    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    /// <summary>
    /// The canonical URI: the path with dot segments and repeated slashes removed (a trailing slash kept), each
    /// segment URI-encoded as it stands, so a segment already percent-encoded is encoded a second time.
    /// </summary>
    public static string CanonicalUri(string path)
    {
        if (string.IsNullOrEmpty(path)) return "/";
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".") continue;
            if (segment == "..")
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(UriEncode(segment));
        }
        if (segments.Count == 0) return "/";
        var canonical = "/" + string.Join('/', segments);
        return path.EndsWith('/') ? canonical + "/" : canonical;
    }

    /// <summary>The canonical query: each name and value decoded, URI-encoded, sorted by name then value, joined by <c>&amp;</c>.</summary>
    public static string CanonicalQuery(string query)
    {
        if (query.StartsWith('?')) query = query[1..];
        if (query.Length == 0) return "";
        var pairs = new List<(string Name, string Value)>();
        foreach (var parameter in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=');
            var name = equals < 0 ? parameter : parameter[..equals];
            var value = equals < 0 ? "" : parameter[(equals + 1)..];
            pairs.Add((UriEncode(Uri.UnescapeDataString(name), encodeSlash: true), UriEncode(Uri.UnescapeDataString(value), encodeSlash: true)));
        }
        pairs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : string.CompareOrdinal(a.Value, b.Value));
        return string.Join('&', pairs.Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>
    /// The canonical headers (each <c>name:value\n</c>, names lower case and sorted, values trimmed with inner runs of
    /// spaces collapsed, repeated headers' values joined by commas in the order given) and the signed header list.
    /// </summary>
    public static (string Canonical, string Signed) CanonicalHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var byName = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var key = name.Trim().ToLowerInvariant();
            if (!byName.TryGetValue(key, out var values)) byName[key] = values = [];
            values.Add(CollapseSpaces(value));
        }
        var canonical = new StringBuilder();
        foreach (var (name, values) in byName) canonical.Append(name).Append(':').AppendJoin(',', values).Append('\n');
        return (canonical.ToString(), string.Join(';', byName.Keys));
    }

    /// <summary>
    /// SigV4's URI encoding: every byte of the UTF-8 form except the unreserved <c>A-Z a-z 0-9 - _ . ~</c> becomes
    /// <c>%XX</c> in upper-case hex; <c>/</c> too unless it separates path segments.
    /// </summary>
    public static string UriEncode(string value, bool encodeSlash = true)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var encoded = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~'
                || (b == (byte)'/' && !encodeSlash))
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(Convert.ToHexString([b]));
            }
        }
        return encoded.ToString();
    }

    private static string CollapseSpaces(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal)) return trimmed;
        var collapsed = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (c == ' ' && collapsed.Length > 0 && collapsed[^1] == ' ') continue;
            collapsed.Append(c);
        }
        return collapsed.ToString();
    }
}
