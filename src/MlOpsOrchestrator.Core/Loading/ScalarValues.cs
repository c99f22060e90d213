using System.Globalization;

namespace MlOpsOrchestrator.Loading;

/// <summary>YAML 1.2 core-schema resolution of plain scalars: quoted values are always text.</summary>
internal static class ScalarValues
{
    public static bool TryNumber(YScalar scalar, out double value)
    {
        value = 0;
        return !scalar.Quoted
            && double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    public static bool TryBoolean(YScalar scalar, out bool value)
    {
        value = false;
        if (scalar.Quoted)
        {
            return false;
        }

        switch (scalar.Value)
        {
            case "true" or "True" or "TRUE":
                value = true;
                return true;
            case "false" or "False" or "FALSE":
                return true;
            default:
                return false;
        }
    }

    /// <summary>The natural typed value of a scalar: long, double, bool or string.</summary>
    public static object Natural(YScalar scalar)
    {
        if (!scalar.Quoted && long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (TryNumber(scalar, out var number))
        {
            return number;
        }

        return TryBoolean(scalar, out var flag) ? flag : scalar.Value;
    }
}
