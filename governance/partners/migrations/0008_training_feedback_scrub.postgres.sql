-- PostgreSQL: a questionnaire's comment may name a partner (a trainer who co-taught): the anonymisation
-- of that partner rewrites it. Only that column can be changed.
GRANT UPDATE (comment) ON training_feedback TO :app_role;
