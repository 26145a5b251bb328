-- The lease (db::lease) of the process running a commission job: a restarted process resumes
-- a job at once when its worker's lease is free. NULL for jobs from before.
ALTER TABLE commission_jobs ADD COLUMN worker TEXT;
