using System.Globalization;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.ML.Data.Ingestion;

namespace MlOpsOrchestrator.ML.Trainers;

/// <summary>
/// Converts a YAML scalar (as the loader types it: long, double, bool, string or null) to an option member's CLR
/// type. Problems are described without echoing the value, because values may come from the environment.
/// </summary>
internal static class OptionValueConverter
{
    /// <summary>Null when <paramref name="value"/> converts; otherwise what is wrong with it.</summary>
    public static string? TryConvert(OptionMember member, object? value, out object? converted)
    {
        ArgumentNullException.ThrowIfNull(member);
        converted = null;
        if (value is null)
        {
            return member.AcceptsNull ? null : $"cannot be null; it expects {Expected(member)}";
        }

        return member.Kind switch
        {
            OptionValueKind.Integer => ToInteger(member, value, out converted),
            OptionValueKind.Float => ToFloat(member, value, out converted),
            OptionValueKind.Boolean => Exact<bool>(member, value, out converted),
            OptionValueKind.Text => Exact<string>(member, value, out converted),
            OptionValueKind.Enum => ToEnum(member, value, out converted),
            _ => $"has an unsupported kind {member.Kind}",
        };
    }

    /// <summary>What a member accepts, as a message fragment.</summary>
    public static string Expected(OptionMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return member.Kind switch
        {
            OptionValueKind.Integer when member.ValueType == typeof(int) => "a whole number (32-bit)",
            OptionValueKind.Integer => "a whole number",
            OptionValueKind.Float => "a number",
            OptionValueKind.Boolean => "true or false",
            OptionValueKind.Text => "text",
            _ => "one of: " + string.Join(", ", member.Option.EnumValues ?? []),
        };
    }

    private static string? ToInteger(OptionMember member, object value, out object? converted)
    {
        converted = null;
        if (!TryGetWholeNumber(value, out var whole))
        {
            return Mismatch(member, value);
        }

        if (member.ValueType == typeof(long))
        {
            converted = whole;
            return null;
        }

        if (whole is < int.MinValue or > int.MaxValue)
        {
            return $"is out of range; it expects {Expected(member)}";
        }

        converted = (int)whole;
        return null;
    }

    private static string? ToFloat(OptionMember member, object value, out object? converted)
    {
        converted = null;
        double number;
        if (value is double d)
        {
            number = d;
        }
        else if (value is float f)
        {
            number = f;
        }
        else if (TryGetWholeNumber(value, out var whole))
        {
            number = whole;
        }
        else
        {
            return Mismatch(member, value);
        }

        if (!double.IsFinite(number) || (member.ValueType == typeof(float) && !float.IsFinite((float)number)))
        {
            return $"must be a finite number within range; it expects {Expected(member)}";
        }

        // Boxed separately: a conditional expression would unify both branches to double.
        converted = member.ValueType == typeof(float) ? (object)(float)number : number;
        return null;
    }

    private static string? ToEnum(OptionMember member, object value, out object? converted)
    {
        converted = null;
        if (value.GetType() == member.ValueType)
        {
            converted = value;
            return null;
        }

        if (value is string text && member.EnumMembers.TryGetValue(text, out var enumValue))
        {
            converted = enumValue;
            return null;
        }

        return value is string ? $"is not a valid value; it expects {Expected(member)}" : Mismatch(member, value);
    }

    private static string? Exact<T>(OptionMember member, object value, out object? converted)
    {
        converted = value is T ? value : null;
        return value is T ? null : Mismatch(member, value);
    }

    private static bool TryGetWholeNumber(object value, out long whole)
    {
        switch (value)
        {
            case long l: whole = l; return true;
            case int i: whole = i; return true;
            case short s: whole = s; return true;
            case sbyte sb: whole = sb; return true;
            case byte b: whole = b; return true;
            case ushort us: whole = us; return true;
            case uint ui: whole = ui; return true;
            case ulong ul when ul <= long.MaxValue: whole = (long)ul; return true;
            default: whole = 0; return false;
        }
    }

    private static string Mismatch(OptionMember member, object value) =>
        string.Create(CultureInfo.InvariantCulture, $"expects {Expected(member)}, not {Describe(value)}");

    private static string Describe(object value) => value switch
    {
        string => "text",
        bool => "a boolean",
        double or float or decimal => "a fractional number",
        _ when TryGetWholeNumber(value, out _) => "a whole number",
        ulong => "a whole number beyond the 64-bit range",
        _ => "a value of type " + value.GetType().Name,
    };
}
