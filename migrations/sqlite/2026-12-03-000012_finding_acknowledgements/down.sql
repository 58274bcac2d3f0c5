DROP TABLE finding_acknowledgements;
