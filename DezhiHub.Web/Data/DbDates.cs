using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;

namespace DezhiHub.Web.Data;

/// <summary>
/// Date arithmetic that queries need and LINQ cannot say the same way on both engines: each engine's context maps
/// <see cref="MinutesBetween"/> to its own SQL (<see cref="Map"/>).
/// </summary>
public static class DbDates
{
    /// <summary>Minutes from <paramref name="startUtc"/> to <paramref name="endUtc"/>, fractional; in SQL inside a query.</summary>
    public static double MinutesBetween(DateTime startUtc, DateTime endUtc) => (endUtc - startUtc).TotalMinutes;

    /// <summary>
    /// Maps <see cref="MinutesBetween"/> to <c>(f(end) - f(start)) * scale</c>, where <paramref name="function"/> turns a
    /// time into a number: SQLite's <c>julianday</c> (days, scale 1440) or PostgreSQL's <c>date_part('epoch', …)</c>
    /// (seconds, scale 1/60).
    /// </summary>
    internal static void Map(ModelBuilder builder, Func<SqlExpression, SqlExpression> function, double scale) =>
        builder.HasDbFunction(typeof(DbDates).GetMethod(nameof(MinutesBetween))!)
            .HasTranslation(args => new SqlBinaryExpression(
                ExpressionType.Multiply,
                new SqlBinaryExpression(ExpressionType.Subtract, function(args[1]), function(args[0]), typeof(double), null),
                new SqlConstantExpression(scale, null),
                typeof(double),
                null));
}
