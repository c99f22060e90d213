using System.Text.RegularExpressions;
using MlOpsOrchestrator.Specs;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// Reads YAML text into a <see cref="YNode"/> tree with marks, substituting <c>${env:NAME}</c> as it goes.
/// A syntax error ends the read (YAML cannot be resynchronised reliably); everything else is collected.
/// </summary>
internal static partial class YamlTreeReader
{
    [GeneratedRegex(@"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex EnvReference();

    public static YNode? Read(string text, Func<string, string?> environment, ErrorSink errors)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, anchors, environment, errors);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var next = parser.Current!;
                errors.Add(Mark(next.Start), "", "a pipeline file holds one YAML document; remove the second '---' and what follows it");
            }

            return root;
        }
        catch (YamlException ex)
        {
            errors.Add(SyntaxMark(ex, text), "", $"invalid YAML: {CleanSyntaxMessage(ex)}");
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet throws this (not a YamlException) for some unclosed flow collections.
            var at = parser.Current is { } current ? Mark(current.Start) : new SourceMark(1, 1);
            errors.Add(at, "", $"invalid YAML: {UnclosedMessage(text, at) ?? $"{ex.Message.TrimEnd('.')}; check for an unclosed '[' or '{{' before this point"}");
            return null;
        }
    }

    private static YNode ReadNode(IParser parser, Dictionary<string, YNode> anchors, Func<string, string?> environment, ErrorSink errors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (anchors.TryGetValue(alias.Value.Value, out var target))
            {
                return target;
            }

            errors.Add(Mark(alias.Start), "", $"unknown anchor '*{alias.Value.Value}'");
            return new YScalar(Mark(alias.Start), "", false);
        }

        YNode node;
        string? anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
            node = Substitute(scalar, environment, errors);
        }
        else if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            anchor = seqStart.Anchor.IsEmpty ? null : seqStart.Anchor.Value;
            var items = new List<YNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, anchors, environment, errors));
            }

            node = new YSequence(Mark(seqStart.Start), items);
        }
        else
        {
            var mapStart = parser.Consume<MappingStart>();
            anchor = mapStart.Anchor.IsEmpty ? null : mapStart.Anchor.Value;
            var entries = new List<KeyValuePair<YScalar, YNode>>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = ReadNode(parser, anchors, environment, errors);
                var value = ReadNode(parser, anchors, environment, errors);
                if (keyNode is YScalar key)
                {
                    entries.Add(new(key, value));
                }
                else
                {
                    errors.Add(keyNode.Mark, "", "a mapping key must be a plain name, not a list or mapping");
                }
            }

            node = new YMapping(Mark(mapStart.Start), entries);
        }

        if (anchor is not null)
        {
            anchors[anchor] = node;
        }

        return node;
    }

    private static YScalar Substitute(Scalar scalar, Func<string, string?> environment, ErrorSink errors)
    {
        var quoted = scalar.Style is not ScalarStyle.Plain;
        var mark = Mark(scalar.Start);
        if (!scalar.Value.Contains("${env:", StringComparison.Ordinal))
        {
            return new YScalar(mark, scalar.Value, quoted);
        }

        string? firstName = null;
        string? missing = null;
        var value = EnvReference().Replace(scalar.Value, m =>
        {
            var name = m.Groups[1].Value;
            firstName ??= name;
            var resolved = environment(name);
            if (resolved is null)
            {
                missing ??= name;
                return m.Value;
            }

            errors.AddSecret(resolved, name);
            return resolved;
        });
        return new YScalar(mark, value, quoted, firstName, scalar.Value, missing);
    }

    /// <summary>YamlDotNet reports some errors (tab indentation) at 1:1; point at the first tab-indented line instead.</summary>
    private static SourceMark SyntaxMark(YamlException ex, string text)
    {
        var mark = Mark(ex.Start);
        if (mark != new SourceMark(1, 1) || !ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            return mark;
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indent)
            {
                return new SourceMark(i + 1, tab + 1);
            }
        }

        return mark;
    }

    private static string? UnclosedMessage(string text, SourceMark at)
    {
        var lines = text.Split('\n');
        var line = at.Line - 1 < lines.Length ? lines[at.Line - 1] : "";
        return at.Column - 1 < line.Length ? line[at.Column - 1] switch
        {
            '[' => "this '[' is never closed; end the list with ']'",
            '{' => "this '{' is never closed; end the mapping with '}'",
            _ => null,
        } : null;
    }

    private static SourceMark Mark(Mark mark) => new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private static string CleanSyntaxMessage(YamlException ex)
    {
        var message = ex.Message;
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        return close >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(close + 3)..] : message;
    }
}
