<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor version="1.0.0"
    xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc"
    xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <Name>field_reports</Name>
    <UserStyle>
      <Name>field_reports_heat</Name>
      <Title>Mật độ phản ánh hiện trường</Title>
      <Abstract>Field report density as a heat map: every report draws three nested translucent discs (48, 28 and 12 px), so where reports crowd the colours add up from pale yellow to deep red.</Abstract>
      <FeatureTypeStyle>
        <Rule>
          <Name>density</Name>
          <Title>Mật độ phản ánh</Title>
          <PointSymbolizer>
            <Graphic>
              <Mark>
                <WellKnownName>circle</WellKnownName>
                <Fill>
                  <CssParameter name="fill">#FFEDA0</CssParameter>
                  <CssParameter name="fill-opacity">0.12</CssParameter>
                </Fill>
              </Mark>
              <Size>48</Size>
            </Graphic>
          </PointSymbolizer>
          <PointSymbolizer>
            <Graphic>
              <Mark>
                <WellKnownName>circle</WellKnownName>
                <Fill>
                  <CssParameter name="fill">#FEB24C</CssParameter>
                  <CssParameter name="fill-opacity">0.18</CssParameter>
                </Fill>
              </Mark>
              <Size>28</Size>
            </Graphic>
          </PointSymbolizer>
          <PointSymbolizer>
            <Graphic>
              <Mark>
                <WellKnownName>circle</WellKnownName>
                <Fill>
                  <CssParameter name="fill">#F03B20</CssParameter>
                  <CssParameter name="fill-opacity">0.3</CssParameter>
                </Fill>
              </Mark>
              <Size>12</Size>
            </Graphic>
          </PointSymbolizer>
        </Rule>
      </FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
