package vn.landgis.cadastre;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.locationtech.jts.geom.MultiPolygon;

/**
 * One version of a parcel (LADM LA_SpatialUnit with its lifespan): the row of {@code cadastre.parcel}.
 * {@code parcelId} is the parcel's identity across attribute edits; a split or merge ends parcels and starts
 * new ones, tied by {@code cadastre.parcel_lineage}. The geometry is in the province's storage CRS.
 */
@Entity
@Table(schema = "cadastre", name = "parcel")
public class ParcelVersion {

    @Id
    private Long id;
    @Column(name = "parcel_id")
    private long parcelId;
    @Column(name = "commune_code")
    private String communeCode;
    @Column(name = "new_commune_code")
    private String newCommuneCode;
    @Column(name = "sheet_no")
    private int sheetNo;
    @Column(name = "parcel_no")
    private int parcelNo;
    @Column(name = "land_use_code")
    private String landUseCode;
    @Column(name = "land_use_other", insertable = false, updatable = false)
    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.ARRAY)
    private String[] landUseOther;
    @Column(name = "legal_area")
    private BigDecimal legalArea;
    @Column(name = "geom_area")
    private BigDecimal geomArea;
    private String address;
    private MultiPolygon geom;
    @Column(name = "valid_from")
    private OffsetDateTime validFrom;
    @Column(name = "valid_to")
    private OffsetDateTime validTo;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "opened_by")
    private RegisterChange openedBy;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "closed_by")
    private RegisterChange closedBy;
    @Version
    @Column(name = "row_version")
    private int rowVersion;

    protected ParcelVersion() {
    }

    public Long id() { return id; }
    public long parcelId() { return parcelId; }
    public String communeCode() { return communeCode; }
    public String newCommuneCode() { return newCommuneCode; }
    public int sheetNo() { return sheetNo; }
    public int parcelNo() { return parcelNo; }
    public String landUseCode() { return landUseCode; }
    /** The purposes beside the main one, in order; empty when none. */
    public java.util.List<String> landUseOther() { return landUseOther == null ? java.util.List.of() : java.util.List.of(landUseOther); }
    public BigDecimal legalArea() { return legalArea; }
    public BigDecimal geomArea() { return geomArea; }
    public String address() { return address; }
    public MultiPolygon geom() { return geom; }
    public OffsetDateTime validFrom() { return validFrom; }
    public OffsetDateTime validTo() { return validTo; }
    public RegisterChange openedBy() { return openedBy; }
    public RegisterChange closedBy() { return closedBy; }
    public int rowVersion() { return rowVersion; }
}
