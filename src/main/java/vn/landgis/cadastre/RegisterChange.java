package vn.landgis.cadastre;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A change to the register (an import batch, a split, a merge, an edit, an undo): who, when, why. */
@Entity
@Table(schema = "cadastre", name = "change")
public class RegisterChange {

    @Id
    private Long id;
    private String kind;
    @Column(name = "happened_at")
    private OffsetDateTime happenedAt;
    private String actor;
    private String reason;
    @JdbcTypeCode(SqlTypes.JSON)
    private String details;

    protected RegisterChange() {
    }

    public Long id() { return id; }
    public String kind() { return kind; }
    public OffsetDateTime happenedAt() { return happenedAt; }
    public String actor() { return actor; }
    public String reason() { return reason; }
    public String details() { return details; }
}
