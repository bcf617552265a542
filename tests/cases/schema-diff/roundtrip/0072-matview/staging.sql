CREATE MATERIALIZED VIEW public.user_counts AS SELECT org_id, count(*) AS n FROM public.users GROUP BY org_id; CREATE UNIQUE INDEX user_counts_org ON public.user_counts (org_id);
