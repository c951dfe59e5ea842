using System.Text.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Writes a JSON Schema (a tool's <c>parameters</c>, a <c>json_schema</c> response format) as Gemini's <c>Schema</c>,
/// the subset of OpenAPI 3.0 that <c>parameters</c> and <c>responseSchema</c> accept. Gemini answers 400 to a field
/// it does not know, so everything outside that subset is left out rather than sent.
/// </summary>
/// <remarks>
/// <para>Kept: <c>type</c>, <c>format</c>, <c>title</c>, <c>description</c>, <c>nullable</c>, <c>enum</c>, <c>items</c>,
/// <c>minItems</c>, <c>maxItems</c>, <c>properties</c>, <c>required</c>, <c>minProperties</c>, <c>maxProperties</c>,
/// <c>minLength</c>, <c>maxLength</c>, <c>pattern</c>, <c>minimum</c>, <c>maximum</c>, <c>anyOf</c>,
/// <c>propertyOrdering</c>, <c>example</c>, <c>default</c>.</para>
/// <para>Rewritten: <c>type</c> is upper-cased (<c>"object"</c> becomes <c>"OBJECT"</c>); a type list with
/// <c>"null"</c> (<c>["string", "null"]</c>), a <c>null</c> enum value or a <c>{"type": "null"}</c> alternative becomes
/// <c>nullable: true</c>; <c>oneOf</c> becomes <c>anyOf</c>, and an <c>anyOf</c> or <c>allOf</c> of one schema is merged
/// into its parent; <c>const</c> becomes a one-value <c>enum</c>; enum values are written as strings; local
/// <c>$ref</c>s (<c>#/$defs/...</c>, <c>#/definitions/...</c>) are inlined; <c>required</c> keeps only declared
/// properties; a <c>format</c> Gemini does not take for the type (only <c>enum</c> and <c>date-time</c> for strings,
/// <c>float</c>/<c>double</c> and <c>int32</c>/<c>int64</c> for numbers) is dropped.</para>
/// <para>Dropped: <c>additionalProperties</c>, <c>$schema</c>, <c>$id</c>, <c>$defs</c>, <c>definitions</c>,
/// <c>$comment</c>, <c>strict</c>, <c>examples</c>, <c>patternProperties</c>, <c>uniqueItems</c>,
/// <c>exclusiveMinimum</c>, <c>exclusiveMaximum</c>, <c>multipleOf</c>, <c>not</c>, <c>if</c>/<c>then</c>/<c>else</c>,
/// <c>dependentRequired</c>, <c>readOnly</c>, <c>writeOnly</c>, <c>deprecated</c>, an <c>allOf</c> of several schemas,
/// and any other keyword.</para>
/// </remarks>
internal static class GeminiSchema
{
    // Deep enough for any real schema; it stops a recursive $ref from recursing forever.
    private const int MaxDepth = 32;

    /// <summary>True when the schema declares no properties at all: Gemini rejects an OBJECT with empty <c>properties</c>, so such <c>parameters</c> are left out.</summary>
    public static bool IsEmptyObject(JsonElement schema) =>
        schema.ValueKind != JsonValueKind.Object
        || (!schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object || !properties.EnumerateObject().Any())
           && !schema.TryGetProperty("anyOf", out _) && !schema.TryGetProperty("oneOf", out _) && !schema.TryGetProperty("allOf", out _)
           && !schema.TryGetProperty("$ref", out _);

    /// <summary>Writes <paramref name="schema"/> as a Gemini schema value.</summary>
    public static void Write(Utf8JsonWriter json, JsonElement schema) => WriteSchema(json, schema, schema, 0);

    private static void WriteSchema(Utf8JsonWriter json, JsonElement root, JsonElement schema, int depth)
    {
        var fields = Flatten(root, schema, depth);
        json.WriteStartObject();
        if (depth >= MaxDepth)
        {
            json.WriteEndObject();
            return;
        }

        string? type = null;
        var nullable = fields.Nullable;
        if (fields.Get("type") is { } typeElement)
        {
            if (typeElement.ValueKind == JsonValueKind.String) type = typeElement.GetString();
            else if (typeElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in typeElement.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String) continue;
                    if (item.ValueEquals("null")) nullable = true;
                    else type ??= item.GetString();
                }
            }
        }
        if (type is not null) json.WriteString("type"u8, type.ToUpperInvariant());

        HashSet<string>? declared = null;
        foreach (var (name, value) in fields.Values)
        {
            switch (name)
            {
                case "title" or "description" or "pattern" when value.ValueKind == JsonValueKind.String:
                    json.WritePropertyName(name);
                    value.WriteTo(json);
                    break;
                case "minItems" or "maxItems" or "minProperties" or "maxProperties" or "minLength" or "maxLength" or "minimum" or "maximum"
                    when value.ValueKind == JsonValueKind.Number:
                    json.WritePropertyName(name);
                    value.WriteTo(json);
                    break;
                case "example" or "default":
                    json.WritePropertyName(name);
                    value.WriteTo(json);
                    break;
                case "format" when value.ValueKind == JsonValueKind.String && FormatFits(type, value):
                    json.WritePropertyName(name);
                    value.WriteTo(json);
                    break;
                case "enum" when value.ValueKind == JsonValueKind.Array:
                    json.WriteStartArray("enum"u8);
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Null) nullable = true;
                        else WriteEnumValue(json, item);
                    }
                    json.WriteEndArray();
                    break;
                case "const":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        nullable = true;
                        break;
                    }
                    json.WriteStartArray("enum"u8);
                    WriteEnumValue(json, value);
                    json.WriteEndArray();
                    break;
                case "items" when value.ValueKind == JsonValueKind.Object:
                    json.WritePropertyName("items"u8);
                    WriteSchema(json, root, value, depth + 1);
                    break;
                case "properties" when value.ValueKind == JsonValueKind.Object:
                    declared = [];
                    foreach (var property in value.EnumerateObject()) declared.Add(property.Name);
                    if (declared.Count == 0) break;
                    json.WriteStartObject("properties"u8);
                    foreach (var property in value.EnumerateObject())
                    {
                        json.WritePropertyName(property.Name);
                        WriteSchema(json, root, property.Value, depth + 1);
                    }
                    json.WriteEndObject();
                    break;
                case "anyOf" when value.ValueKind == JsonValueKind.Array:
                    json.WriteStartArray("anyOf"u8);
                    foreach (var option in value.EnumerateArray())
                    {
                        if (!IsNullSchema(Resolve(root, option))) WriteSchema(json, root, option, depth + 1);
                    }
                    json.WriteEndArray();
                    break;
                case "propertyOrdering" when value.ValueKind == JsonValueKind.Array:
                    json.WritePropertyName(name);
                    value.WriteTo(json);
                    break;
            }
        }

        // Written last because it depends on the properties seen above.
        if (fields.Get("required") is { ValueKind: JsonValueKind.Array } required)
        {
            json.WriteStartArray("required"u8);
            foreach (var item in required.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && (declared is null || declared.Contains(item.GetString()!))) item.WriteTo(json);
            }
            json.WriteEndArray();
        }
        if (nullable) json.WriteBoolean("nullable"u8, true);
        json.WriteEndObject();
    }

    /// <summary>
    /// The schema's keywords after resolving its <c>$ref</c> and merging an <c>allOf</c> or a one-option <c>anyOf</c>/<c>oneOf</c>
    /// into it; the schema's own keywords win over merged ones.
    /// </summary>
    private static SchemaFields Flatten(JsonElement root, JsonElement schema, int depth)
    {
        var fields = new SchemaFields();
        Merge(fields, root, schema, depth);
        return fields;
    }

    private static void Merge(SchemaFields fields, JsonElement root, JsonElement schema, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object || depth >= MaxDepth) return;
        // The schema's own keywords first, so they win over what its $ref, allOf or single anyOf bring in.
        foreach (var property in schema.EnumerateObject())
        {
            if (property.Name is not ("$ref" or "allOf" or "anyOf" or "oneOf")) fields.Set(property.Name, property.Value);
        }
        if (schema.TryGetProperty("$ref", out _)) Merge(fields, root, Resolve(root, schema), depth + 1);
        if (schema.TryGetProperty("allOf", out var allOf) && allOf.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in allOf.EnumerateArray()) Merge(fields, root, part, depth + 1);
        }
        foreach (var name in (ReadOnlySpan<string>)["anyOf", "oneOf"])
        {
            if (!schema.TryGetProperty(name, out var alternatives) || alternatives.ValueKind != JsonValueKind.Array) continue;
            var options = new List<JsonElement>();
            foreach (var option in alternatives.EnumerateArray())
            {
                if (IsNullSchema(Resolve(root, option))) fields.Nullable = true;
                else options.Add(option);
            }
            if (options.Count == 1) Merge(fields, root, options[0], depth + 1);
            else if (options.Count > 1) fields.Set("anyOf", alternatives);
        }
    }

    /// <summary>A local <c>$ref</c> replaced by what it points to; any other schema as it is.</summary>
    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        for (var hops = 0; hops < MaxDepth && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String; hops++)
        {
            var path = reference.GetString()!;
            if (!path.StartsWith("#/", StringComparison.Ordinal)) return default;
            var target = root;
            foreach (var segment in path[2..].Split('/'))
            {
                var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (target.ValueKind != JsonValueKind.Object || !target.TryGetProperty(name, out target)) return default;
            }
            schema = target;
        }
        return schema;
    }

    private static bool IsNullSchema(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("null");

    private static bool FormatFits(string? type, JsonElement format) => type?.ToUpperInvariant() switch
    {
        "STRING" => format.ValueEquals("enum") || format.ValueEquals("date-time"),
        "NUMBER" => format.ValueEquals("float") || format.ValueEquals("double"),
        "INTEGER" => format.ValueEquals("int32") || format.ValueEquals("int64"),
        _ => false,
    };

    private static void WriteEnumValue(Utf8JsonWriter json, JsonElement value)
    {
        // Gemini's enum is a list of strings whatever the type: 1 is written "1".
        if (value.ValueKind == JsonValueKind.String) value.WriteTo(json);
        else json.WriteStringValue(value.GetRawText());
    }

    /// <summary>A schema's keywords in order, the first writer of each keyword winning.</summary>
    private sealed class SchemaFields
    {
        public List<(string Name, JsonElement Value)> Values { get; } = [];

        public bool Nullable { get; set; }

        public JsonElement? Get(string name)
        {
            foreach (var (key, value) in Values)
            {
                if (key == name) return value;
            }
            return null;
        }

        public void Set(string name, JsonElement value)
        {
            if (Get(name) is null) Values.Add((name, value));
        }
    }
}
