DROP TABLE epcis_subscriptions;
DROP TABLE epcis_queries;
