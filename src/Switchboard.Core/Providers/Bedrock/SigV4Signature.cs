namespace Switchboard.Providers.Bedrock;

/// <summary>
/// What signing one request produced: the headers to send (<see cref="AmzDate"/>, <see cref="Authorization"/>, and the
/// session token when there is one) and the intermediate texts AWS's test suite publishes, for tests and for
/// explaining a signature mismatch.
/// </summary>
/// <param name="AmzDate">The <c>x-amz-date</c> header: the signing time as <c>yyyyMMddTHHmmssZ</c>.</param>
/// <param name="Authorization">The <c>Authorization</c> header.</param>
/// <param name="PayloadHash">Lower-case hex SHA-256 of the body, as signed (and sent as <c>x-amz-content-sha256</c> when asked).</param>
/// <param name="SignedHeaders">The signed header names, lower case, sorted, joined by <c>;</c>.</param>
/// <param name="CanonicalRequest">Task 1's canonical request (the suite's <c>.creq</c>).</param>
/// <param name="StringToSign">Task 2's string to sign (the suite's <c>.sts</c>).</param>
/// <param name="Signature">Task 3's signature, lower-case hex.</param>
internal sealed record SigV4Signature(
    string AmzDate,
    string Authorization,
    string PayloadHash,
    string SignedHeaders,
    string CanonicalRequest,
    string StringToSign,
    string Signature);
