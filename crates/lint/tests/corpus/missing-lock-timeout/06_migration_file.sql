-- corpus: transaction
CREATE POLICY own_rows ON ims.issues FOR SELECT TO ims_user USING (user_id = ims.current_user_id());
