using System.Globalization;
using System.Text;

namespace Switchboard.Chat;

/// <summary>
/// An inline image as a <c>data:</c> URL gives it: its media type and its content as base64. Every provider that
/// takes images inline reads them through this one parser.
/// </summary>
/// <param name="MediaType">The media type in lower case, such as <c>image/png</c>.</param>
/// <param name="Base64">The content as base64: a slice of the URL when it was base64 already, so no image is copied.</param>
internal readonly record struct DataUrl(string MediaType, ReadOnlyMemory<char> Base64)
{
    public static bool IsDataUrl(string url) => url.StartsWith("data:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads <c>data:[media type][;params][;base64],content</c>; false when the URL is not a data URL.</summary>
    public static bool TryParse(string url, out DataUrl dataUrl)
    {
        dataUrl = default;
        if (!IsDataUrl(url)) return false;
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0) return false;
        var header = url.AsSpan(5, comma - 5);
        var isBase64 = header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase);
        if (isBase64) header = header[..^7];
        var parameters = header.IndexOf(';');
        var mediaType = (parameters >= 0 ? header[..parameters] : header).Trim().ToString().ToLower(CultureInfo.InvariantCulture);
        var content = isBase64
            ? url.AsMemory(comma + 1)
            : Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url[(comma + 1)..]))).AsMemory();
        dataUrl = new DataUrl(mediaType, content);
        return true;
    }
}
