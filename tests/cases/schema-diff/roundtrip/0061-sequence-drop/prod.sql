CREATE SEQUENCE public.ticket_no START 100; SELECT nextval('public.ticket_no'); SELECT nextval('public.ticket_no');
