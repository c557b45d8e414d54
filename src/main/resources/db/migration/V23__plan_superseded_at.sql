-- When a plan stopped being in force, so that a planning answer "as of" a date takes the plans in force on that date:
-- decided on or before it (decision_date) and not yet superseded (superseded_at). The editor sets superseded_at when
-- a plan in force is superseded; a plan delivered as superseded, or superseded before this column, has none: an
-- answer as of a past date leaves it out, as before, since when it ended is not known.
ALTER TABLE planning.plan ADD COLUMN superseded_at timestamptz;
COMMENT ON COLUMN planning.plan.superseded_at IS 'when the plan in force was superseded (null: in force, a draft, or not known)';
