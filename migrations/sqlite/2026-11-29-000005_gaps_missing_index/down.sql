DROP INDEX activities_gaps_unknown;
