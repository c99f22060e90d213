using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// Writes the dashboard's HTML by hand. Every value interpolated into <c>Add</c> is HTML-encoded unless it is
/// <see cref="Markup"/>, so a pipeline name, an error message or a metric can never inject markup.
/// </summary>
internal sealed class HtmlBuilder
{
    private readonly StringBuilder _html = new();

    public HtmlBuilder Add([InterpolatedStringHandlerArgument("")] ref Handler html)
    {
        _ = html;
        return this;
    }

    public HtmlBuilder Add(Markup markup)
    {
        _html.Append(markup.Html);
        return this;
    }

    public Markup ToMarkup() => new(_html.ToString());

    public override string ToString() => _html.ToString();

    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>Builds a fragment in one expression: <c>HtmlBuilder.Fragment($"&lt;b&gt;{name}&lt;/b&gt;")</c>.</summary>
    public static Markup Fragment(ref FragmentHandler html) => html.ToMarkup();

    [InterpolatedStringHandler]
    public readonly ref struct Handler
    {
        private readonly StringBuilder _html;

        public Handler(int literalLength, int formattedCount, HtmlBuilder builder)
        {
            _ = literalLength + formattedCount;
            _html = builder._html;
        }

        public void AppendLiteral(string literal) => _html.Append(literal);

        public void AppendFormatted(Markup markup) => _html.Append(markup.Html);

        public void AppendFormatted<T>(T value) => _html.Append(EncodeValue(value, null));

        public void AppendFormatted<T>(T value, string format) => _html.Append(EncodeValue(value, format));
    }

    [InterpolatedStringHandler]
    public ref struct FragmentHandler
    {
        private readonly StringBuilder _html;

        public FragmentHandler(int literalLength, int formattedCount)
        {
            _html = new StringBuilder(literalLength + (formattedCount * 16));
        }

        public readonly void AppendLiteral(string literal) => _html.Append(literal);

        public readonly void AppendFormatted(Markup markup) => _html.Append(markup.Html);

        public readonly void AppendFormatted<T>(T value) => _html.Append(EncodeValue(value, null));

        public readonly void AppendFormatted<T>(T value, string format) => _html.Append(EncodeValue(value, format));

        public readonly Markup ToMarkup() => new(_html.ToString());
    }

    private static string EncodeValue<T>(T value, string? format) => value switch
    {
        null => string.Empty,
        Markup markup => markup.Html,
        IFormattable formattable => Encode(formattable.ToString(format, CultureInfo.InvariantCulture)),
        _ => Encode(value.ToString()),
    };
}
