-- Numbers in the Vietnamese halves of the messages SQL writes (import findings), as Vietnamese write them and as the
-- web pages and the Java side (VietnameseNumbers) show them: a decimal comma, dots between thousands. The value keeps
-- its scale: round(x, 2) gives two decimals. vi_number(1234.50) = '1.234,50', vi_number(-0.5) = '-0,5'.
CREATE FUNCTION cadastre.vi_number(value numeric) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT CASE WHEN value < 0 THEN '-' ELSE '' END
       || regexp_replace(split_part(abs(value)::text, '.', 1), '(\d)(?=(\d{3})+$)', '\1.', 'g')
       || CASE WHEN strpos(abs(value)::text, '.') > 0 THEN ',' || split_part(abs(value)::text, '.', 2) ELSE '' END
$$;
